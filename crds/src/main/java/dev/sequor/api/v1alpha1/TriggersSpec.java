package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** The triggers of spec.retraining; each optional, any of them starts a run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TriggersSpec(
        @JsonPropertyDescription("Retrain when a PromQL expression stays beyond a threshold. No data (no series, "
                + "NaN, Prometheus unreachable) never triggers and never counts as healthy.")
        MetricTriggerSpec metric,

        @JsonPropertyDescription("Retrain on a cron schedule.")
        ScheduleTriggerSpec schedule,

        @JsonPropertyDescription("Retrain when enough new feedback has arrived since the last run.")
        DataVolumeTriggerSpec dataVolume,

        @JsonPropertyDescription("How often the metric and the data volume are read, e.g. \"1m\" (default 1m).")
        @Pattern(RetrainingSpec.DURATION)
        String interval) {
}
