package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** What a user asks for: a model and how to serve it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.rollout) || !has(self.rollout.candidateAlias) || (has(self.model.registry) "
        + "&& has(self.model.registry.alias) && self.model.registry.alias != self.rollout.candidateAlias)",
        message = "spec.rollout.candidateAlias needs spec.model.registry to follow another alias (the champion's)")
@ValidationRule(value = "!has(self.retraining) || (has(self.model.registry) && has(self.model.registry.alias) "
        + "&& has(self.rollout) && has(self.rollout.candidateAlias))",
        message = "spec.retraining needs spec.model.registry.alias (the champion it is compared with) and "
                + "spec.rollout.candidateAlias (the alias a new version gets, which starts its rollout)")
public record RecommenderModelSpec(
        @Required
        @JsonPropertyDescription("Which model to serve: exactly one of `registry` or `uri`.")
        ModelSource model,

        @JsonPropertyDescription("How the model is served: replicas or autoscaling, resources, placement, "
                + "batching and top-k limits. Defaults to one CPU replica.")
        ServingSpec serving,

        @JsonPropertyDescription("Candidate versions served beside spec.model (the champion) and how users "
                + "are split between them. Unset: everyone gets the champion.")
        RolloutSpec rollout,

        @JsonPropertyDescription("Closed-loop retraining: triggers (metric, schedule, data volume, by hand), the "
                + "feedback sink and the training Job. Each run registers a new version under the rollout's "
                + "candidate alias, which starts the rollout.")
        RetrainingSpec retraining) {

    public ServingSpec servingOrDefault() {
        return serving != null ? serving : ServingSpec.DEFAULT;
    }

    public RolloutSpec rolloutOrDefault() {
        return rollout != null ? rollout : new RolloutSpec(Strategy.Immediate, null, null, null, null, null, null);
    }
}
