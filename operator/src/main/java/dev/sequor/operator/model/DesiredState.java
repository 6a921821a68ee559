package dev.sequor.operator.model;

import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.routing.TrafficSplit;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Every object one RecommenderModel should have: per served version a predictor Deployment,
 * Service and disruption budget; the routers' Deployment and budget; with autoscaling, an
 * autoscaler (HPA or KEDA ScaledObject) for each of those Deployments; the split ConfigMap; the
 * public Service; the monitor. Objects of these kinds that are
 * not listed must not exist. Built from values only: no client, no I/O.
 */
public record DesiredState(
        List<Deployment> deployments,
        List<Service> services,
        List<PodDisruptionBudget> disruptionBudgets,
        List<HorizontalPodAutoscaler> autoscalers,
        List<GenericKubernetesResource> scaledObjects,
        ConfigMap splitConfigMap,
        TrafficSplit split,
        Optional<GenericKubernetesResource> serviceMonitor,
        ServedVersion servingChampion,
        Set<String> retained) {

    public static DesiredState of(RecommenderModel model, List<ServedVersion> versions, Predicate<ServedVersion> ready,
            OperatorDefaults defaults, ClusterFeatures features) {
        return of(model, versions, ready, defaults, features, Optional.empty());
    }

    /**
     * @param versions the champion first, then the candidates in spec order
     * @param ready whether a version's predictor pods are ready (a candidate gets users only then)
     * @param outgoing the champion served so far, when spec.model now resolves to another version:
     *        it keeps serving (its objects are retained, not rebuilt) until the new one's pods are ready
     */
    public static DesiredState of(RecommenderModel model, List<ServedVersion> versions, Predicate<ServedVersion> ready,
            OperatorDefaults defaults, ClusterFeatures features, Optional<ServedVersion> outgoing) {
        List<Deployment> deployments = new ArrayList<>();
        List<Service> services = new ArrayList<>();
        List<PodDisruptionBudget> budgets = new ArrayList<>();
        for (ServedVersion version : versions) {
            deployments.add(PredictorDeployment.build(model, version, defaults));
            services.add(RouterService.predictor(model, version));
            budgets.add(PredictorDisruptionBudget.predictor(model, version));
        }
        deployments.add(RouterDeployment.build(model, defaults));
        boolean keda = features.keda() && defaults.kedaPrometheusUrl().isPresent();
        List<HorizontalPodAutoscaler> autoscalers = keda ? List.of() : Autoscalers.horizontal(model, versions);
        List<GenericKubernetesResource> scaledObjects = keda
                ? Autoscalers.keda(model, versions, defaults.kedaPrometheusUrl().get()) : List.of();
        services.add(RouterService.build(model));
        budgets.add(PredictorDisruptionBudget.router(model));
        ServedVersion champion = outgoing.filter(o -> !o.key().equals(versions.get(0).key()) && !ready.test(versions.get(0)))
                .orElse(versions.get(0));
        Set<String> retained = champion == versions.get(0) ? Set.of() : Set.of(Names.predictor(model, champion));
        TrafficSplit split = SplitConfigMap.split(model, champion, versions.subList(1, versions.size()), ready, defaults);
        return new DesiredState(deployments, services, budgets, autoscalers, scaledObjects,
                SplitConfigMap.build(model, split), split,
                features.serviceMonitors() ? Optional.of(PredictorServiceMonitor.build(model)) : Optional.empty(),
                champion, retained);
    }

    /** Whether the champion in spec waits for its pods while the previous one still serves. */
    public boolean switchingChampion() {
        return !retained.isEmpty();
    }
}
