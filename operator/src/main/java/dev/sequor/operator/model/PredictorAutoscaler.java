package dev.sequor.operator.model;

import dev.sequor.api.v1alpha1.AutoscalingSpec;
import dev.sequor.api.v1alpha1.RecommenderModel;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import java.util.Optional;

/** A HorizontalPodAutoscaler for each version's predictor pods, when autoscaling is asked for. */
public final class PredictorAutoscaler {

    private PredictorAutoscaler() {
    }

    public static Optional<HorizontalPodAutoscaler> build(RecommenderModel model, ServedVersion version) {
        AutoscalingSpec autoscaling = model.getSpec().servingOrDefault().autoscaling();
        if (autoscaling == null) {
            return Optional.empty();
        }
        return Optional.of(new HorizontalPodAutoscalerBuilder()
                .withMetadata(OwnerReferences.metadata(model, Names.predictor(model, version),
                        Labels.predictor(model, version)))
                .withNewSpec()
                    .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment")
                        .withName(Names.predictor(model, version)).endScaleTargetRef()
                    .withMinReplicas(autoscaling.minReplicas())
                    .withMaxReplicas(autoscaling.maxReplicas())
                    .addNewMetric()
                        .withType("Resource")
                        .withNewResource()
                            .withName("cpu")
                            .withNewTarget().withType("Utilization")
                                .withAverageUtilization(autoscaling.targetCpuOrDefault()).endTarget()
                        .endResource()
                    .endMetric()
                .endSpec()
                .build());
    }
}
