package dev.sequor.runtime.model;

/** A model package this runtime cannot serve; the message says why. */
public class InvalidPackageException extends RuntimeException {

    public InvalidPackageException(String message) {
        super(message);
    }

    public InvalidPackageException(String message, Throwable cause) {
        super(message, cause);
    }
}
