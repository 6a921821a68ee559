package dev.sequor.runtime.routing;

/** The router has no split yet, or the champion cannot be reached: answered 503 / UNAVAILABLE. */
public class NoBackendException extends RuntimeException {

    public NoBackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
