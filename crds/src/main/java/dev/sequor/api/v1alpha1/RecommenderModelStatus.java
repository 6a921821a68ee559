package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Optional;

/** What the operator observed. Owned by the operator; never written by users. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecommenderModelStatus(
        @JsonPropertyDescription("The metadata.generation this status describes.")
        Long observedGeneration,

        @JsonPropertyDescription("Ready, ModelResolved, Progressing and Degraded, with reasons.")
        List<Condition> conditions,

        @JsonPropertyDescription("The model version being served, as resolved from spec.model.")
        ResolvedModel model,

        @JsonPropertyDescription("Predictor pods wanted.")
        Integer replicas,

        @JsonPropertyDescription("Predictor pods ready to serve.")
        Integer readyReplicas,

        @JsonPropertyDescription("Where backends reach the model inside the cluster.")
        Endpoint endpoint,

        @JsonPropertyDescription("The variants being served and their share of users.")
        List<VariantStatus> variants,

        @JsonPropertyDescription("The split in force, e.g. 'champion v7 95%, candidate v8 5%'.")
        String split,

        @JsonPropertyDescription("The analysed rollout of a candidate version (spec.rollout.analysis): its step, "
                + "weight, last measurements and test; kept after it ends until the next one starts.")
        CandidateStatus candidate,

        @JsonPropertyDescription("Finished rollouts, newest first (at most 10).")
        List<RolloutRecord> history,

        @JsonPropertyDescription("Retraining (spec.retraining): the last trigger, the runs and the next "
                + "scheduled time.")
        TrainingStatus training) {

    public Optional<Condition> condition(String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.type())).findFirst();
    }
}
