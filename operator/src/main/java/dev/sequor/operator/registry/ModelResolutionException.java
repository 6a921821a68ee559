package dev.sequor.operator.registry;

import dev.sequor.api.v1alpha1.Reason;
import dev.sequor.modelpackage.RegistryException;

/** spec.model could not be resolved; {@link #reason()} becomes the ModelResolved condition's reason. */
public class ModelResolutionException extends RuntimeException {

    private final Reason reason;

    public ModelResolutionException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ModelResolutionException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** A registry's failure as the ModelResolved condition reports it. */
    public static ModelResolutionException of(RegistryException e) {
        Reason reason = switch (e.kind()) {
            case REGISTERED_MODEL_NOT_FOUND -> Reason.REGISTERED_MODEL_NOT_FOUND;
            case VERSION_NOT_FOUND -> Reason.MODEL_VERSION_NOT_FOUND;
            case ALIAS_NOT_FOUND -> Reason.ALIAS_NOT_FOUND;
            case VERSION_NOT_READY -> Reason.MODEL_VERSION_NOT_READY;
            case ACCESS_DENIED -> Reason.REGISTRY_ACCESS_DENIED;
            case UNREACHABLE -> Reason.REGISTRY_UNREACHABLE;
            case ERROR -> Reason.REGISTRY_ERROR;
        };
        return new ModelResolutionException(reason, e.getMessage(), e);
    }

    public Reason reason() {
        return reason;
    }
}
