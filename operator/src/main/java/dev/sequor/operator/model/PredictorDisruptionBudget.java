package dev.sequor.operator.model;

import dev.sequor.api.v1alpha1.RecommenderModel;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.Map;

/**
 * At most one pod of a Deployment voluntarily evicted at a time. maxUnavailable (not
 * minAvailable) so a single-replica Deployment never blocks a node drain.
 */
public final class PredictorDisruptionBudget {

    private PredictorDisruptionBudget() {
    }

    public static PodDisruptionBudget predictor(RecommenderModel model, ServedVersion version) {
        return build(model, Names.predictor(model, version), Labels.predictor(model, version),
                Labels.predictorSelector(model, version));
    }

    public static PodDisruptionBudget router(RecommenderModel model) {
        return build(model, Names.router(model), Labels.router(model), Labels.routerSelector(model));
    }

    private static PodDisruptionBudget build(RecommenderModel model, String name, Map<String, String> labels,
            Map<String, String> selector) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(OwnerReferences.metadata(model, name, labels))
                .withNewSpec()
                    .withMaxUnavailable(new IntOrString(1))
                    .withNewSelector().withMatchLabels(selector).endSelector()
                .endSpec()
                .build();
    }
}
