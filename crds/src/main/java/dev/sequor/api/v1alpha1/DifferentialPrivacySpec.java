package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** User-level (ε, δ)-differential privacy of one training run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.targetEpsilon > 0.0 && self.targetEpsilon <= 100.0",
        message = "spec.retraining.privacy.differentialPrivacy.targetEpsilon is in (0, 100]")
@ValidationRule(value = "!has(self.delta) || (self.delta > 0.0 && self.delta < 0.01)",
        message = "spec.retraining.privacy.differentialPrivacy.delta is in (0, 0.01); it must also be below 1/users")
@ValidationRule(value = "!has(self.maxGradNorm) || self.maxGradNorm > 0.0",
        message = "spec.retraining.privacy.differentialPrivacy.maxGradNorm is positive")
public record DifferentialPrivacySpec(
        @Required
        @JsonPropertyDescription("ε of one run (the noise is calibrated to it with the RDP accountant).")
        Double targetEpsilon,

        @JsonPropertyDescription("δ of one run and of the budget (default 1e-6); must be below 1/number of users.")
        Double delta,

        @JsonPropertyDescription("The clip: each user's gradient's L2 norm at most this (default 1.0).")
        Double maxGradNorm) {

    public double deltaOrDefault() {
        return delta != null ? delta : 1e-6;
    }

    public double maxGradNormOrDefault() {
        return maxGradNorm != null ? maxGradNorm : 1.0;
    }
}
