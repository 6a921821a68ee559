package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The privacy ledger of the model's data: every DP-SGD run that trained on it, composed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PrivacyStatus(
        @JsonPropertyDescription("ε spent by all runs together (their RDP curves added, then converted at delta).")
        Double epsilonSpent,

        @JsonPropertyDescription("The δ ε is stated at.")
        Double delta,

        @JsonPropertyDescription("spec.retraining.privacy.budget.epsilon when set.")
        Double budget,

        @JsonPropertyDescription("Runs that trained on the data.")
        Integer runs,

        @JsonPropertyDescription("Every run as sample rate:noise multiplier:steps, separated by ';' (what the trainer "
                + "reported). Also kept in the registry, as each new version's sequor.privacy.ledger tag.")
        String ledger) {
}
