package dev.sequor.operator.model;

import dev.sequor.api.v1alpha1.Endpoint;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.RolloutSpec;
import dev.sequor.api.v1alpha1.Strategy;
import dev.sequor.contract.Variant;
import dev.sequor.routing.Route;
import dev.sequor.routing.Shadow;
import dev.sequor.routing.TrafficSplit;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The traffic split the routers apply, and the ConfigMap that carries it to them. A candidate gets
 * users only once its predictor pods are ready; until then the champion serves its share.
 */
public final class SplitConfigMap {

    private SplitConfigMap() {
    }

    /**
     * @param champion the version serving as champion
     * @param candidates the candidates in spec order
     * @param ready whether a version has ready predictor pods
     */
    public static TrafficSplit split(RecommenderModel model, ServedVersion champion, List<ServedVersion> candidates,
            Predicate<ServedVersion> ready, OperatorDefaults defaults) {
        RolloutSpec rollout = model.getSpec().rolloutOrDefault();
        List<Route> routes = new ArrayList<>();
        int candidatesWeight = 0;
        Shadow shadow = null;
        for (ServedVersion candidate : candidates) {
            boolean serving = ready.test(candidate);
            int weight = serving ? candidate.weight() : 0;
            candidatesWeight += weight;
            routes.add(route(model, candidate, weight, defaults));
            if (rollout.strategy() == Strategy.Shadow && serving) {
                shadow = new Shadow(candidate.variant(), rollout.shadowShare());
            }
        }
        routes.add(route(model, champion, 100 - candidatesWeight, defaults));
        String salt = rollout.salt() != null && !rollout.salt().isEmpty() ? rollout.salt() : model.getMetadata().getName();
        return new TrafficSplit(TrafficSplit.FORMAT_VERSION, model.getMetadata().getName(), salt, routes, shadow)
                .validated();
    }

    public static ConfigMap build(RecommenderModel model, TrafficSplit split) {
        return new ConfigMapBuilder()
                .withMetadata(OwnerReferences.metadata(model, Names.split(model), Labels.model(model)))
                .withData(Map.of(TrafficSplit.FILE_NAME, split.toJson()))
                .build();
    }

    /** One line for status and kubectl: "champion v7 95%, candidate v8 5%". */
    public static String describe(TrafficSplit split) {
        List<String> parts = new ArrayList<>();
        Route champion = split.champion();
        parts.add(Variant.CHAMPION + " v" + champion.version() + " " + champion.weight() + "%");
        for (Route r : split.variants()) {
            if (r != champion) {
                parts.add(r.variant() + " v" + r.version() + " " + r.weight() + "%");
            }
        }
        if (split.shadow() != null) {
            parts.add("shadow " + split.shadow().variant() + " " + Math.round(split.shadow().share() * 100) + "%");
        }
        return String.join(", ", parts);
    }

    private static Route route(RecommenderModel model, ServedVersion version, int weight, OperatorDefaults defaults) {
        Endpoint endpoint = RouterService.predictorEndpoint(model, version, defaults);
        return new Route(version.variant(), version.version(), weight, endpoint.http(), endpoint.grpc());
    }
}
