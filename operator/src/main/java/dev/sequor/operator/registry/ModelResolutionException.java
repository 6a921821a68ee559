package dev.sequor.operator.registry;

import dev.sequor.api.v1alpha1.Reason;

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

    public Reason reason() {
        return reason;
    }
}
