package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** One aspect of the resource's state, in the shape of the Kubernetes condition convention. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Condition(
        @Required
        @JsonPropertyDescription("Ready, ModelResolved, Progressing, Degraded or PrivacyBudget.")
        String type,

        @Required
        @JsonPropertyDescription("True, False or Unknown.")
        @Pattern("^(True|False|Unknown)$")
        String status,

        @JsonPropertyDescription("A CamelCase word for the cause, stable enough to alert on.")
        String reason,

        @JsonPropertyDescription("What happened and what to do about it, for a person.")
        String message,

        @JsonPropertyDescription("When status last changed (RFC 3339).")
        String lastTransitionTime,

        @JsonPropertyDescription("The metadata.generation the condition was computed from.")
        Long observedGeneration) {

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    @JsonIgnore
    public boolean isTrue() {
        return TRUE.equals(status);
    }
}
