package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One measurement of the last analysis run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MeasurementStatus(
        @JsonPropertyDescription("The guardrail's name, or quality.")
        String name,
        @JsonPropertyDescription("The value measured (absent when inconclusive); for quality, the difference in rate.")
        Double value,
        @JsonPropertyDescription("The bounds, e.g. <= 0.01.")
        String threshold,
        @JsonPropertyDescription("PASS, BREACH or INCONCLUSIVE.")
        String verdict,
        @JsonPropertyDescription("One line: what was measured, or why there is no value.")
        String message) {
}
