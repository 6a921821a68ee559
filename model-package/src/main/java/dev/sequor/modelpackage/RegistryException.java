package dev.sequor.modelpackage;

/** A registry (local or MLflow) could not answer what was asked; {@link #kind()} says why. */
public class RegistryException extends RuntimeException {

    /** Why a registry call failed. */
    public enum Kind {
        REGISTERED_MODEL_NOT_FOUND,
        VERSION_NOT_FOUND,
        ALIAS_NOT_FOUND,
        VERSION_NOT_READY,
        ACCESS_DENIED,
        UNREACHABLE,
        ERROR
    }

    private final Kind kind;

    public RegistryException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public RegistryException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
