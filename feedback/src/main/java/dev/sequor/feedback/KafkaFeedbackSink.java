package dev.sequor.feedback;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Feedback into a Kafka topic (one per model): an idempotent producer with {@code acks=all}, and
 * an event acknowledged only once the broker acknowledged it. Events are keyed by user, so one
 * user's events stay in order in one partition; the value is the event's JSON
 * ({@link FeedbackEvent#toBytes()}), as in the embedded log.
 *
 * <p>{@link #store} never blocks its caller (an HTTP event loop): one sender thread hands events
 * to the producer, which may block while the broker is unknown. At most {@code maxPending} events
 * wait for the broker at once; beyond that {@link SinkOverloadedException} refuses at once. An
 * event the broker has not acknowledged within {@code deliveryTimeout} fails with
 * {@link SinkUnavailableException} (the caller answers 503 and the client sends it again).
 */
public final class KafkaFeedbackSink implements FeedbackSink {

    private static final Logger LOG = Logger.getLogger(KafkaFeedbackSink.class.getName());

    /**
     * @param topic the model's topic; created (broker defaults for partitions and replication) when absent
     * @param maxPending events sent or waiting to be sent but not yet acknowledged, at most
     * @param deliveryTimeout how long an event may wait for the broker's acknowledgement
     * @param clientProperties further Kafka client settings (security, SASL), applied last but
     *     never over the durability settings
     */
    public record Settings(String bootstrapServers, String topic, int maxPending, Duration deliveryTimeout,
            Map<String, String> clientProperties) {

        public Settings {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("Kafka bootstrap servers are required");
            }
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("a Kafka topic is required");
            }
            if (deliveryTimeout.toMillis() < 2_000) {
                throw new IllegalArgumentException("the delivery timeout must be at least 2s, got " + deliveryTimeout);
            }
            clientProperties = Map.copyOf(clientProperties);
        }

        public static Settings of(String bootstrapServers, String topic) {
            return new Settings(bootstrapServers, topic, 10_000, Duration.ofSeconds(15), Map.of());
        }
    }

    private record Pending(ProducerRecord<String, byte[]> record, Instant queued, CompletableFuture<Void> done) {
    }

    private final Settings settings;
    private final Producer<String, byte[]> producer;
    private final Semaphore capacity;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread sender;
    private volatile boolean closed;

    private KafkaFeedbackSink(Settings settings, Producer<String, byte[]> producer) {
        this.settings = settings;
        this.producer = producer;
        this.capacity = new Semaphore(settings.maxPending());
        this.sender = new Thread(this::sendLoop, "sequor-feedback-kafka");
        sender.setDaemon(true);
        sender.start();
    }

    /** Opens the producer and creates the topic when it does not exist yet (failing that is only logged). */
    public static KafkaFeedbackSink open(Settings settings) {
        ensureTopic(settings);
        return new KafkaFeedbackSink(settings, new KafkaProducer<>(producerConfig(settings)));
    }

    /** The producer's settings: the caller's extras first, then the ones durability depends on. */
    static Map<String, Object> producerConfig(Settings settings) {
        Map<String, Object> config = new HashMap<>(settings.clientProperties());
        long delivery = settings.deliveryTimeout().toMillis();
        long request = requestTimeoutMillis(settings);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "sequor-feedback");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        // No waiting to fill a batch: under load batches form anyway behind the requests in flight
        // (bench/feedback.sh: linger 1 ms cut one client from 1,347 to 273 events/s, 64 from 38,806 to 25,802).
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) request);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) delivery);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, delivery);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return config;
    }

    /** One request's wait: short, so a dead broker is noticed and retried well within the delivery timeout. */
    private static long requestTimeoutMillis(Settings settings) {
        return Math.min(5_000, settings.deliveryTimeout().toMillis() / 2);
    }

    private static void ensureTopic(Settings settings) {
        Map<String, Object> config = new HashMap<>(settings.clientProperties());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) requestTimeoutMillis(settings));
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) settings.deliveryTimeout().toMillis());
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(List.of(new NewTopic(settings.topic(), Optional.empty(), Optional.empty()))).all()
                    .get(settings.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS);
            LOG.info(() -> "Created the feedback topic " + settings.topic());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                // Where clients may not create topics, an administrator creates it; sends say if it is missing.
                LOG.log(Level.WARNING, "Could not create the feedback topic " + settings.topic() + ": "
                        + e.getCause().getMessage());
            }
        } catch (TimeoutException e) {
            LOG.warning("Kafka at " + settings.bootstrapServers() + " did not answer in " + settings.deliveryTimeout()
                    + " while creating the feedback topic " + settings.topic() + "; events wait for it");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public CompletableFuture<Void> store(FeedbackEvent event) {
        if (closed) {
            throw new SinkUnavailableException("the Kafka feedback sink is closed", null);
        }
        if (!capacity.tryAcquire()) {
            throw new SinkOverloadedException(settings.maxPending() + " feedback events are waiting for Kafka at "
                    + settings.bootstrapServers() + "; try again shortly");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        done.whenComplete((ok, error) -> capacity.release());
        queue.add(new Pending(new ProducerRecord<>(settings.topic(), event.userId(), event.toBytes()), Instant.now(), done));
        return done;
    }

    private void sendLoop() {
        while (!closed || !queue.isEmpty()) {
            Pending p;
            try {
                p = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (p == null) {
                continue;
            }
            if (Duration.between(p.queued(), Instant.now()).compareTo(settings.deliveryTimeout()) > 0) {
                // Waited behind a send that blocked on an unreachable broker: fail now, not after another wait.
                p.done().completeExceptionally(unavailable("Kafka was unreachable for " + settings.deliveryTimeout(), null));
                continue;
            }
            try {
                producer.send(p.record(), (metadata, error) -> {
                    if (error == null) {
                        p.done().complete(null);
                    } else {
                        p.done().completeExceptionally(unavailable(error.getMessage(), error));
                    }
                });
            } catch (RuntimeException e) {
                p.done().completeExceptionally(unavailable(e.getMessage(), e));
            }
        }
    }

    private SinkUnavailableException unavailable(String why, Throwable cause) {
        return new SinkUnavailableException("Kafka did not acknowledge the feedback event (topic " + settings.topic()
                + "): " + why, cause);
    }

    @Override
    public String describe() {
        return "the Kafka topic " + settings.topic() + " at " + settings.bootstrapServers();
    }

    /** Stops taking events, sends what is queued and waits (up to the delivery timeout) for the broker. */
    @Override
    public void close() {
        closed = true;
        try {
            sender.join(settings.deliveryTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(settings.deliveryTimeout());
        List<Pending> late = new ArrayList<>();
        queue.drainTo(late);
        late.forEach(p -> p.done().completeExceptionally(unavailable("the sink closed", null)));
    }
}
