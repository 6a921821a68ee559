package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A metric of the candidate that must stay within bounds. No data is inconclusive, never a pass. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.metric) != has(self.query)",
        message = "a guardrail needs exactly one of metric (built in) or query (PromQL)")
@ValidationRule(value = "has(self.max) || has(self.min)", message = "a guardrail needs max, min or both")
public record GuardrailSpec(
        @Required
        @JsonPropertyDescription("The guardrail's name, shown in status and Events.")
        @Pattern("^[a-z]([-a-z0-9]{0,30}[a-z0-9])?$")
        @Size(max = 32)
        String name,

        @JsonPropertyDescription("A built-in measurement: ErrorRate, LatencyP99 (seconds), FallbackRate or ShadowOverlap.")
        GuardrailMetric metric,

        @JsonPropertyDescription("A PromQL query returning one number. Placeholders: {{model}}, {{namespace}}, "
                + "{{version}} and {{variant}} (the candidate's), {{championVersion}}, {{interval}} (the analysis "
                + "interval, e.g. 30s). An empty result, NaN or an error is inconclusive.")
        @Size(max = 4096)
        String query,

        @JsonPropertyDescription("Breached above this value.")
        Double max,

        @JsonPropertyDescription("Breached below this value.")
        Double min) {
}
