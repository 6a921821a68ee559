package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** A data-volume trigger: new feedback events (from the runtime's metrics) since the last run started. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataVolumeTriggerSpec(
        @Required
        @Min(1)
        @JsonPropertyDescription("Feedback events accepted since the last run started (or since retraining was "
                + "configured) that start a run.")
        Long newEvents) {
}
