package dev.sequor.operator.model;

import dev.sequor.api.v1alpha1.RecommenderModel;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/**
 * At most one predictor pod voluntarily evicted at a time. maxUnavailable (not minAvailable)
 * so a single-replica model never blocks a node drain.
 */
public final class PredictorDisruptionBudget {

    private PredictorDisruptionBudget() {
    }

    public static PodDisruptionBudget build(RecommenderModel model) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(OwnerReferences.metadata(model, Names.predictor(model)))
                .withNewSpec()
                    .withMaxUnavailable(new IntOrString(1))
                    .withNewSelector().withMatchLabels(Labels.selector(model)).endSelector()
                .endSpec()
                .build();
    }
}
