package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** The total ε the model's data may spend over all training runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.epsilon > 0.0", message = "spec.retraining.privacy.budget.epsilon is positive")
public record PrivacyBudgetSpec(
        @Required
        @JsonPropertyDescription("Total ε over all runs, composed (RDP curves added, then converted at the run's δ).")
        Double epsilon) {
}
