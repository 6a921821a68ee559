package dev.sequor.operator.model;

import dev.sequor.api.v1alpha1.RecommenderModel;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.Optional;

/**
 * Every object one RecommenderModel should have. Empty optionals mean "must not exist".
 * Built from values only: no client, no I/O.
 */
public record DesiredState(
        Deployment deployment,
        Service service,
        PodDisruptionBudget disruptionBudget,
        Optional<HorizontalPodAutoscaler> autoscaler,
        Optional<GenericKubernetesResource> serviceMonitor) {

    public static DesiredState of(RecommenderModel model, ModelPackage pkg, OperatorDefaults defaults,
            boolean serviceMonitorsAvailable) {
        return new DesiredState(
                PredictorDeployment.build(model, pkg, defaults),
                PredictorService.build(model),
                PredictorDisruptionBudget.build(model),
                PredictorAutoscaler.build(model),
                serviceMonitorsAvailable ? Optional.of(PredictorServiceMonitor.build(model)) : Optional.empty());
    }
}
