package dev.sequor.trainer.data;

/** Input data the trainer cannot use; the message says where and why. */
public class DataException extends RuntimeException {

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
