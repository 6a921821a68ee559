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

    @Override
    public String toString() {
        return value;
    }
}
