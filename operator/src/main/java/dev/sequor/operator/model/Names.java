package dev.sequor.operator.model;

import dev.sequor.api.v1alpha1.RecommenderModel;

/** Names of the objects created for one RecommenderModel. */
public final class Names {

    private Names() {
    }

    /** The model's stable address: backends call this Service, which leads to the routers. */
    public static String service(RecommenderModel model) {
        return model.getMetadata().getName();
    }

    /** Deployment, Service, autoscaler and disruption budget of one version's predictor pods. */
    public static String predictor(RecommenderModel model, ServedVersion version) {
        return model.getMetadata().getName() + "-" + version.key();
    }

    /** Deployment and disruption budget of the router pods. */
    public static String router(RecommenderModel model) {
        return model.getMetadata().getName() + "-router";
    }

    /** The ConfigMap holding the traffic split the routers read. */
    public static String split(RecommenderModel model) {
        return model.getMetadata().getName() + "-split";
    }

    /** The ServiceMonitor of all the model's pods. */
    public static String monitor(RecommenderModel model) {
        return model.getMetadata().getName();
    }
}
