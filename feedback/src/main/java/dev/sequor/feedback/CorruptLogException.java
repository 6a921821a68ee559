package dev.sequor.feedback;

/** A record that was acknowledged once no longer reads back: a checksum or length is wrong where no crash could tear it. */
public class CorruptLogException extends RuntimeException {

    public CorruptLogException(String message) {
        super(message);
    }
}
