package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** How a rollout is judged: guardrails and the quality test, every interval, from Prometheus. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.guardrails) || self.guardrails.all(a, self.guardrails.exists_one(b, b.name == a.name))",
        message = "spec.rollout.analysis: guardrail names must be unique")
public record AnalysisSpec(
        @JsonPropertyDescription("Time between analysis runs, e.g. \"30s\" (default 30s).")
        @Pattern("^([0-9]+(ms|s|m|h))+$")
        String interval,

        @JsonPropertyDescription("Guardrail breaches (in all) that roll the candidate back (default 1).")
        @Min(1)
        @Max(100)
        Integer failureLimit,

        @JsonPropertyDescription("Analysis runs in a row without data (empty, NaN, query error) that abort the "
                + "rollout (default 5).")
        @Min(1)
        @Max(1000)
        Integer inconclusiveLimit,

        @JsonPropertyDescription("The longest a rollout may run before it is aborted without a decision, e.g. \"24h\".")
        @Pattern("^([0-9]+(ms|s|m|h))+$")
        String maxDuration,

        @JsonPropertyDescription("Metrics of the candidate that must stay within bounds.")
        @Size(max = 16)
        List<GuardrailSpec> guardrails,

        @JsonPropertyDescription("The sequential test on hit rate or click-through against the champion. Required "
                + "with ABTest.")
        QualitySpec quality) {
}
