package dev.sequor.feedback;

/** The log cannot store anything (closed, or its disk failed); nothing was stored. */
public class LogUnavailableException extends RuntimeException {

    public LogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
