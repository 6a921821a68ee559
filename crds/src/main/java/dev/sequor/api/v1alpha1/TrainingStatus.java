package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Retraining as the operator sees it: the triggers' memory, the last trigger, the runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingStatus(
        @JsonPropertyDescription("When retraining was first seen configured: new feedback is counted from here "
                + "until the first run.")
        String watchingSince,

        @JsonPropertyDescription("When the metric trigger's current breach began; unset when not breached.")
        String breachSince,

        @JsonPropertyDescription("The schedule's times up to here are dealt with (run or skipped).")
        String scheduleCheckedAt,

        @JsonPropertyDescription("When the last run started (the cooldown and the data volume count from here).")
        String lastRunStart,

        @JsonPropertyDescription("The schedule's next time.")
        String nextScheduledTime,

        @JsonPropertyDescription("The last trigger that fired.")
        TriggerRecord lastTrigger,

        @JsonPropertyDescription("What the last look could not decide (no data) or held back (cooldown, a run in "
                + "progress).")
        String message,

        @JsonPropertyDescription("Training runs, newest first (at most 10).")
        List<TrainingRunStatus> runs,

        @JsonPropertyDescription("The privacy ledger, with spec.retraining.privacy.differentialPrivacy.")
        PrivacyStatus privacy) {

    /** A trigger that fired. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TriggerRecord(
            @JsonPropertyDescription("manual, metric, schedule or dataVolume.")
            String kind,
            String time,
            @JsonPropertyDescription("Why it fired, e.g. the metric's value and threshold.")
            String detail,
            @JsonPropertyDescription("The value that fired it (metric and data volume).")
            Double value) {
    }
}
