package dev.sequor.runtime.inference;

/**
 * A request the runtime cannot serve, and why, in the runtime's own terms; the HTTP and gRPC
 * edges turn {@link #kind()} into their status codes (ErrorMappers, InferenceGrpcService).
 */
public class InferenceException extends RuntimeException {

    /** Why a request was not served. */
    public enum Kind {
        /** The request itself is malformed or out of range. */
        INVALID_REQUEST,
        /** Well-formed, but nothing in it can be served (e.g. no history item is known). */
        UNSERVABLE,
        /** It names a model or version this runtime does not serve. */
        NOT_FOUND,
        /** No model is ready to serve it now. */
        NOT_READY,
        /** The operation is switched off in this runtime. */
        DISABLED
    }

    private final Kind kind;

    public InferenceException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** A malformed request. */
    public static InferenceException invalid(String message) {
        return new InferenceException(Kind.INVALID_REQUEST, message);
    }

    public Kind kind() {
        return kind;
    }
}
