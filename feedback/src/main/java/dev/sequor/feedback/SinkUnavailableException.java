package dev.sequor.feedback;

/** The sink cannot store anything (closed, its disk failed, the broker did not acknowledge); nothing is known stored. */
public class SinkUnavailableException extends RuntimeException {

    public SinkUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
