package dev.sequor.operator.model;

import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.contract.Variant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The labels on everything the operator creates, and the selector of the predictor pods. */
public final class Labels {

    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String PART_OF = "app.kubernetes.io/part-of";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MODEL = "sequor.dev/model";
    public static final String VARIANT = "sequor.dev/variant";

    public static final String OPERATOR = "sequor-operator";
    public static final String MANAGED_BY_SELECTOR = MANAGED_BY + "=" + OPERATOR;

    private Labels() {
    }

    /** Immutable once a Deployment exists, so only stable values. */
    public static Map<String, String> selector(RecommenderModel model) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(INSTANCE, model.getMetadata().getName());
        labels.put(COMPONENT, "predictor");
        labels.put(VARIANT, Variant.CHAMPION);
        return labels;
    }

    public static Map<String, String> all(RecommenderModel model) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, "sequor-predictor");
        labels.putAll(selector(model));
        labels.put(PART_OF, "sequor");
        labels.put(MANAGED_BY, OPERATOR);
        labels.put(MODEL, model.getMetadata().getName());
        return labels;
    }
}
