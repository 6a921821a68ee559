package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Differential privacy of every training run, and the budget of the model's data over all of them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.budget) || has(self.differentialPrivacy)",
        message = "spec.retraining.privacy.budget needs differentialPrivacy: only DP-SGD runs are accounted")
@ValidationRule(value = "!has(self.budget) || !has(self.differentialPrivacy) "
        + "|| self.budget.epsilon >= self.differentialPrivacy.targetEpsilon",
        message = "spec.retraining.privacy.budget.epsilon is below one run's targetEpsilon: no run could ever start")
public record PrivacySpec(
        @JsonPropertyDescription("Train every run with user-level DP-SGD: each user's gradient clipped, Gaussian "
                + "noise added; the noise is derived from the target.")
        DifferentialPrivacySpec differentialPrivacy,

        @JsonPropertyDescription("The privacy budget of the model's data over all retrains. A run that would take "
                + "the total over it does not start (condition and Event); raise it in git to go on.")
        PrivacyBudgetSpec budget) {
}
