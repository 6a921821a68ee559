package dev.sequor.feedback;

/** The log cannot take more right now (its queue is full): the caller should retry later, nothing was stored. */
public class LogOverloadedException extends RuntimeException {

    public LogOverloadedException(String message) {
        super(message);
    }
}
