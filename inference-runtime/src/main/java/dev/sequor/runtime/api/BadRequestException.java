package dev.sequor.runtime.api;

/** Client input the runtime cannot serve: answered 400 (or the given status) with the message. */
public class BadRequestException extends RuntimeException {

    private final int status;

    public BadRequestException(String message) {
        this(400, message);
    }

    public BadRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
