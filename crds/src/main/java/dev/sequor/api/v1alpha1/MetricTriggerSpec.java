package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A metric trigger: the query's single number beyond the threshold for a duration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.below) != has(self.above)",
        message = "spec.retraining.triggers.metric needs exactly one of below and above")
public record MetricTriggerSpec(
        @Required
        @Size(min = 1, max = 4096)
        @JsonPropertyDescription("PromQL returning one number, e.g. the click-through rate of the last 30 minutes. "
                + "{{model}} and {{namespace}} are replaced by the resource's name and namespace.")
        String query,

        @JsonPropertyDescription("Retrain when the value is below this.")
        Double below,

        @JsonPropertyDescription("Retrain when the value is above this.")
        Double above,

        @JsonProperty("for")
        @JsonPropertyDescription("How long the breach must last, e.g. \"15m\" (default 0s: at the first breach).")
        @Pattern(RetrainingSpec.DURATION)
        String forDuration) {
}
