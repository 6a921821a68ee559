package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A finished rollout: promoted, rolled back or aborted. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutRecord(
        @JsonPropertyDescription("The candidate version.")
        String version,
        @JsonPropertyDescription("The champion version it was compared with.")
        String championVersion,
        @JsonPropertyDescription("Promoted, RolledBack or Aborted.")
        String outcome,
        @JsonPropertyDescription("Why.")
        String message,
        String startedAt,
        String finishedAt) {
}
