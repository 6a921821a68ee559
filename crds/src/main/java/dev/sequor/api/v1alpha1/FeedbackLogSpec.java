package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The embedded feedback log's volume. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeedbackLogSpec(
        @Required
        @JsonPropertyDescription("Name of the PersistentVolumeClaim in the resource's namespace.")
        @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
        String claimName) {
}
