package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One training run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingRunStatus(
        @JsonPropertyDescription("The Job.")
        String job,

        @JsonPropertyDescription("What started it: manual, metric, schedule or dataVolume.")
        String trigger,

        @JsonPropertyDescription("The champion version when it started (the new version's parent).")
        String parentVersion,

        String startTime,

        String completionTime,

        @JsonPropertyDescription("Running, Succeeded (a new candidate registered), Rejected (worse than the champion "
                + "offline: nothing registered as candidate) or Failed.")
        String outcome,

        @JsonPropertyDescription("The version registered as candidate.")
        String version,

        @JsonPropertyDescription("Why, in words.")
        String message) {

    public boolean finished() {
        return outcome != null && !RUNNING.equals(outcome);
    }

    public static final String RUNNING = "Running";
    public static final String SUCCEEDED = "Succeeded";
    public static final String REJECTED = "Rejected";
    public static final String FAILED = "Failed";
}
