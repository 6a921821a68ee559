package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The base dataset: a file on a PersistentVolumeClaim. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BaseDataSpec(
        @Required
        @JsonPropertyDescription("pvc://CLAIM/PATH, e.g. pvc://datasets/games/interactions.csv (mounted read-only).")
        @Pattern("^pvc://[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/[^\\s]+$")
        String uri,

        @JsonPropertyDescription("sasrec, movielens or csv (default sasrec), as the trainer's --format.")
        @Pattern("^(sasrec|movielens|csv)$")
        String format) {
}
