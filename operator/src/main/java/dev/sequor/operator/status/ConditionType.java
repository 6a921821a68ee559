package dev.sequor.operator.status;

/** The condition types a RecommenderModel reports. */
public final class ConditionType {

    /** Pods are serving requests. */
    public static final String READY = "Ready";
    /** spec.model resolved to a model package. */
    public static final String MODEL_RESOLVED = "ModelResolved";
    /** A rollout of the predictor pods is under way. */
    public static final String PROGRESSING = "Progressing";
    /** Something needs a person: the registry failed, the rollout stalled, pods are missing. */
    public static final String DEGRADED = "Degraded";
    /** With a privacy budget: whether the next training run fits in what is left of it. */
    public static final String PRIVACY_BUDGET = "PrivacyBudget";

    private ConditionType() {
    }
}
