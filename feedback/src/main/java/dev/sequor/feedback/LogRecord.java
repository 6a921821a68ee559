package dev.sequor.feedback;

/** One stored record: its offset (its index in the whole log) and its bytes. */
public record LogRecord(long offset, byte[] payload) {
}
