package dev.sequor.operator.model;

import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.contract.Role;
import java.util.LinkedHashMap;
import java.util.Map;

/** The labels on everything the operator creates, and the selectors of its pods. */
public final class Labels {

    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String PART_OF = "app.kubernetes.io/part-of";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MODEL = "sequor.dev/model";
    /** The version key of a predictor ({@link ServedVersion#key()}): part of its selector. */
    public static final String VERSION = "sequor.dev/version";
    /**
     * The variant a version serves now. On Deployments and Services only, never on pod templates:
     * a promotion relabels the objects and restarts no pod.
     */
    public static final String VARIANT = "sequor.dev/variant";

    public static final String OPERATOR = "sequor-operator";
    public static final String MANAGED_BY_SELECTOR = MANAGED_BY + "=" + OPERATOR;

    private Labels() {
    }

    /** Every object of the model (the public Service, the split, the monitor). */
    public static Map<String, String> model(RecommenderModel model) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(INSTANCE, model.getMetadata().getName());
        labels.put(PART_OF, "sequor");
        labels.put(MANAGED_BY, OPERATOR);
        labels.put(MODEL, model.getMetadata().getName());
        return labels;
    }

    /** Immutable once a Deployment exists, so only stable values. */
    public static Map<String, String> routerSelector(RecommenderModel model) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(INSTANCE, model.getMetadata().getName());
        labels.put(COMPONENT, Role.ROUTER);
        return labels;
    }

    public static Map<String, String> router(RecommenderModel model) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, "sequor-router");
        labels.putAll(routerSelector(model));
        labels.putAll(model(model));
        return labels;
    }

    /** Immutable once a Deployment exists: model and version key. */
    public static Map<String, String> predictorSelector(RecommenderModel model, ServedVersion version) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(INSTANCE, model.getMetadata().getName());
        labels.put(COMPONENT, Role.PREDICTOR);
        labels.put(VERSION, version.key());
        return labels;
    }

    /** A predictor pod's labels. */
    public static Map<String, String> predictorPod(RecommenderModel model, ServedVersion version) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, "sequor-predictor");
        labels.putAll(predictorSelector(model, version));
        labels.putAll(model(model));
        return labels;
    }

    /** A version's Deployment, Service, autoscaler and disruption budget: the pod labels and the variant. */
    public static Map<String, String> predictor(RecommenderModel model, ServedVersion version) {
        Map<String, String> labels = predictorPod(model, version);
        labels.put(VARIANT, version.variant());
        return labels;
    }
}
