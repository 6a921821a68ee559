package dev.sequor.api.v1alpha1;

/**
 * Every reason a condition of {@code status.conditions} or a Kubernetes Event of the operator can
 * carry. Promised stable: alerts and dashboards match on these strings. Add, never rename; each is
 * explained in docs/operations.md (a test holds the two together).
 */
public enum Reason {

    // ModelResolved=True / Ready=True / Progressing / Degraded=False
    RESOLVED("Resolved"),
    SERVING("Serving"),
    ROLLOUT_COMPLETE("RolloutComplete"),
    ROLLING_OUT("RollingOut"),
    AS_EXPECTED("AsExpected"),
    // Ready=False / Progressing while nothing is served
    CREATING("Creating"),
    NO_READY_PODS("NoReadyPods"),
    SCALED_TO_ZERO("ScaledToZero"),
    MODEL_NOT_RESOLVED("ModelNotResolved"),
    BLOCKED("Blocked"),
    // ModelResolved=False (and Degraded=True with the same reason)
    REGISTRY_UNREACHABLE("RegistryUnreachable"),
    REGISTRY_ERROR("RegistryError"),
    REGISTRY_ACCESS_DENIED("RegistryAccessDenied"),
    REGISTERED_MODEL_NOT_FOUND("RegisteredModelNotFound"),
    MODEL_VERSION_NOT_FOUND("ModelVersionNotFound"),
    ALIAS_NOT_FOUND("AliasNotFound"),
    MODEL_VERSION_NOT_READY("ModelVersionNotReady"),
    CREDENTIALS_SECRET_NOT_FOUND("CredentialsSecretNotFound"),
    NO_REGISTRY_CONFIGURED("NoRegistryConfigured"),
    INVALID_MODEL_URI("InvalidModelUri"),
    DUPLICATE_VERSION("DuplicateVersion"),
    // Analysed rollouts: Events of each step (RolloutStarted .. RolloutAborted); Degraded=True after a
    // rollback or abort, until the next candidate or a retry
    ROLLOUT_STARTED("RolloutStarted"),
    ROLLOUT_STEP_ADVANCED("RolloutStepAdvanced"),
    ROLLOUT_PAUSED("RolloutPaused"),
    ROLLOUT_RESUMED("RolloutResumed"),
    ANALYSIS_INCONCLUSIVE("AnalysisInconclusive"),
    GUARDRAIL_BREACHED("GuardrailBreached"),
    ROLLOUT_PROMOTED("RolloutPromoted"),
    ROLLOUT_ROLLED_BACK("RolloutRolledBack"),
    ROLLOUT_ABORTED("RolloutAborted"),
    PROMOTION_FAILED("PromotionFailed"),
    UNKNOWN_ROLLOUT_ACTION("UnknownRolloutAction"),
    // Events of retraining
    TRAINING_STARTED("TrainingStarted"),
    TRAINING_SUCCEEDED("TrainingSucceeded"),
    TRAINING_REJECTED("TrainingRejected"),
    TRAINING_FAILED("TrainingFailed"),
    TRIGGER_SUPPRESSED("TriggerSuppressed"),
    TRIGGER_INCONCLUSIVE("TriggerInconclusive"),
    INVALID_RETRAINING("InvalidRetraining"),
    PRIVACY_BUDGET_EXHAUSTED("PrivacyBudgetExhausted"),
    PRIVACY_BUDGET_AVAILABLE("PrivacyBudgetAvailable"),
    // Degraded=True
    ROLLOUT_STALLED("RolloutStalled"),
    OBJECT_CONFLICT("ObjectConflict"),
    RECONCILE_FAILED("ReconcileFailed");

    private final String value;

    Reason(String value) {
        this.value = value;
    }

    /** The string in the condition or Event. */
    public String value() {
        return value;
    }

    /** The reason whose string is {@code value}. */
    public static java.util.Optional<Reason> of(String value) {
        for (Reason r : values()) {
            if (r.value.equals(value)) {
                return java.util.Optional.of(r);
            }
        }
        return java.util.Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
