package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A model resolved to one immutable package. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResolvedModel(
        @JsonPropertyDescription("Registered model name (registry source only).")
        String name,

        @JsonPropertyDescription("Registry version number (registry source only).")
        String version,

        @JsonPropertyDescription("Alias the version was resolved from, if any.")
        String alias,

        @JsonPropertyDescription("Location of the model package the pods load.")
        String uri) {
}
