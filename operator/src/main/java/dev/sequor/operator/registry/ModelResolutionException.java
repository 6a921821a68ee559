package dev.sequor.operator.registry;

/** spec.model could not be resolved; {@link #reason()} becomes the ModelResolved condition's reason. */
public class ModelResolutionException extends RuntimeException {

    public static final String REGISTRY_UNREACHABLE = "RegistryUnreachable";
    public static final String REGISTRY_ERROR = "RegistryError";
    public static final String REGISTRY_ACCESS_DENIED = "RegistryAccessDenied";
    public static final String REGISTERED_MODEL_NOT_FOUND = "RegisteredModelNotFound";
    public static final String MODEL_VERSION_NOT_FOUND = "ModelVersionNotFound";
    public static final String ALIAS_NOT_FOUND = "AliasNotFound";
    public static final String MODEL_VERSION_NOT_READY = "ModelVersionNotReady";
    public static final String CREDENTIALS_SECRET_NOT_FOUND = "CredentialsSecretNotFound";
    public static final String NO_REGISTRY_CONFIGURED = "NoRegistryConfigured";

    private final String reason;

    public ModelResolutionException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ModelResolutionException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
