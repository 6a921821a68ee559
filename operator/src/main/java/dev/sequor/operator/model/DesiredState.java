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
 * Service, disruption budget and (with autoscaling) autoscaler; the routers' Deployment and
 * budget; the split ConfigMap; the public Service; the monitor. Objects of these kinds that are
 * not listed must not exist. Built from values only: no client, no I/O.
 */
public record DesiredState(
        List<Deployment> deployments,
        List<Service> services,
        List<PodDisruptionBudget> disruptionBudgets,
        List<HorizontalPodAutoscaler> autoscalers,
        ConfigMap splitConfigMap,
        TrafficSplit split,
        Optional<GenericKubernetesResource> serviceMonitor,
        ServedVersion servingChampion,
        Set<String> retained) {

    public static DesiredState of(RecommenderModel model, List<ServedVersion> versions, Predicate<ServedVersion> ready,
            OperatorDefaults defaults, boolean serviceMonitorsAvailable) {
        return of(model, versions, ready, defaults, serviceMonitorsAvailable, Optional.empty());
    }

    /**
     * @param versions the champion first, then the candidates in spec order
     * @param ready whether a version's predictor pods are ready (a candidate gets users only then)
     * @param outgoing the champion served so far, when spec.model now resolves to another version:
     *        it keeps serving (its objects are retained, not rebuilt) until the new one's pods are ready
     */
    public static DesiredState of(RecommenderModel model, List<ServedVersion> versions, Predicate<ServedVersion> ready,
            OperatorDefaults defaults, boolean serviceMonitorsAvailable, Optional<ServedVersion> outgoing) {
        List<Deployment> deployments = new ArrayList<>();
        List<Service> services = new ArrayList<>();
        List<PodDisruptionBudget> budgets = new ArrayList<>();
        List<HorizontalPodAutoscaler> autoscalers = new ArrayList<>();
        for (ServedVersion version : versions) {
            deployments.add(PredictorDeployment.build(model, version, defaults));
            services.add(RouterService.predictor(model, version));
            budgets.add(PredictorDisruptionBudget.predictor(model, version));
            PredictorAutoscaler.build(model, version).ifPresent(autoscalers::add);
        }
        deployments.add(RouterDeployment.build(model, defaults));
        services.add(RouterService.build(model));
        budgets.add(PredictorDisruptionBudget.router(model));
        ServedVersion champion = outgoing.filter(o -> !o.key().equals(versions.get(0).key()) && !ready.test(versions.get(0)))
                .orElse(versions.get(0));
        Set<String> retained = champion == versions.get(0) ? Set.of() : Set.of(Names.predictor(model, champion));
        TrafficSplit split = SplitConfigMap.split(model, champion, versions.subList(1, versions.size()), ready, defaults);
        return new DesiredState(deployments, services, budgets, autoscalers, SplitConfigMap.build(model, split), split,
                serviceMonitorsAvailable ? Optional.of(PredictorServiceMonitor.build(model)) : Optional.empty(),
                champion, retained);
    }

    /** Whether the champion in spec waits for its pods while the previous one still serves. */
    public boolean switchingChampion() {
        return !retained.isEmpty();
    }
}
