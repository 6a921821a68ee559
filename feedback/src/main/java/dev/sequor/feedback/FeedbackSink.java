package dev.sequor.feedback;

import java.util.concurrent.CompletableFuture;

/**
 * Where feedback events are kept durably, at least once: the embedded log ({@link FeedbackLog})
 * or a Kafka topic ({@link KafkaFeedbackSink}). An event is acknowledged only when the returned
 * future completes normally; a caller that sees a failure or no answer sends the event again with
 * the same event id (readers deduplicate by it).
 */
public interface FeedbackSink extends AutoCloseable {

    /**
     * Stores an event. The future completes once the event is durable, or fails with
     * {@link SinkUnavailableException}. Never blocks: refuses at once with
     * {@link SinkOverloadedException} when too much is waiting.
     */
    CompletableFuture<Void> store(FeedbackEvent event);

    /** Where events go, for logs and status messages. */
    String describe();

    @Override
    void close();
}
