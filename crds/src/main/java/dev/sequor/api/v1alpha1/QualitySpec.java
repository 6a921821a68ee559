package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The sequential test on the candidate's online quality against the champion's: the mixture SPRT,
 * which may be looked at every interval without inflating false positives.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!(has(self.minimumEffect) && has(self.mixingVariance))",
        message = "spec.rollout.analysis.quality: set minimumEffect or mixingVariance, not both")
public record QualitySpec(
        @JsonPropertyDescription("HitRate (default) or ClickThroughRate.")
        QualityMetric metric,

        @JsonPropertyDescription("The feedback event type that counts as a success (default click).")
        @Pattern("^[a-z][a-z0-9_]{0,31}$")
        String event,

        @JsonPropertyDescription("The test: mSPRT (the mixture sequential probability ratio test), the only one today.")
        @Pattern("^mSPRT$")
        String test,

        @JsonPropertyDescription("The false-positive rate the test keeps however often it is looked at (default 0.05).")
        @Min(0.0001)
        @Max(0.5)
        Double alpha,

        @JsonPropertyDescription("The smallest difference in rate worth detecting, e.g. 0.01 (sets the mixing "
                + "variance to its square; default 0.01).")
        @Min(0.000001)
        @Max(1)
        Double minimumEffect,

        @JsonPropertyDescription("The mixing variance τ² of the test, instead of minimumEffect.")
        @Min(0.000000000001)
        Double mixingVariance,

        @JsonPropertyDescription("Trials (lists served, or impressions) each variant needs before the test decides "
                + "(default 500).")
        @Min(1)
        Long minimumTrials) {
}
