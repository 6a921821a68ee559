package dev.sequor.operator.model;

import dev.sequor.api.v1alpha1.RecommenderModel;

/** Names of the objects created for one RecommenderModel. */
public final class Names {

    private Names() {
    }

    /** The model's stable address: backends call this Service. */
    public static String service(RecommenderModel model) {
        return model.getMetadata().getName();
    }

    /** Deployment, autoscaler, disruption budget and monitor of the predictor pods. */
    public static String predictor(RecommenderModel model) {
        return model.getMetadata().getName() + "-predictor";
    }
}
