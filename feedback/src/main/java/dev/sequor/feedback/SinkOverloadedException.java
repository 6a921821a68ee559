package dev.sequor.feedback;

/** The sink cannot take more right now (too much is waiting): the caller should retry later, nothing was stored. */
public class SinkOverloadedException extends RuntimeException {

    public SinkOverloadedException(String message) {
        super(message);
    }
}
