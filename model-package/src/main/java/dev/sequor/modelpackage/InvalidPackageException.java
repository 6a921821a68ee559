package dev.sequor.modelpackage;

/** A model package that cannot be read or served; the message says what is wrong and where. */
public class InvalidPackageException extends RuntimeException {

    public InvalidPackageException(String message) {
        super(message);
    }

    public InvalidPackageException(String message, Throwable cause) {
        super(message, cause);
    }
}
