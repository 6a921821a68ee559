package dev.sequor.runtime.feedback;

import dev.sequor.feedback.FeedbackEvent;
import dev.sequor.feedback.FeedbackLog;
import dev.sequor.feedback.FeedbackSink;
import dev.sequor.feedback.KafkaFeedbackSink;
import dev.sequor.runtime.config.Durations;
import dev.sequor.runtime.config.RuntimeConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Where feedback is kept: the embedded durable log when {@code sequor.feedback.log-dir} is set
 * (opened, and its torn tail cut, at start-up), a Kafka topic when
 * {@code sequor.feedback.kafka.bootstrap-servers} is, else nowhere (counted in metrics only).
 * Both set is a configuration error: the runtime does not start.
 */
@ApplicationScoped
public class FeedbackStore {

    private static final Logger LOG = Logger.getLogger(FeedbackStore.class);

    private final RuntimeConfig config;
    private volatile FeedbackSink sink;

    public FeedbackStore(RuntimeConfig config) {
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        sink = open(config);
        if (sink != null) {
            LOG.infof("Feedback is stored in %s; acknowledged once durable", sink.describe());
        }
    }

    static FeedbackSink open(RuntimeConfig config) {
        RuntimeConfig.Feedback f = config.feedback();
        Optional<String> kafka = f.kafka().bootstrapServers().filter(s -> !s.isBlank());
        if (f.logDir().isPresent() && kafka.isPresent()) {
            throw new IllegalStateException("feedback goes to one sink: set sequor.feedback.log-dir or "
                    + "sequor.feedback.kafka.bootstrap-servers, not both");
        }
        if (kafka.isPresent()) {
            return KafkaFeedbackSink.open(new KafkaFeedbackSink.Settings(kafka.get(),
                    f.kafka().topic().orElse("sequor-feedback." + config.model().name()), f.kafka().maxPending(),
                    Durations.parse(f.kafka().deliveryTimeout()), Map.of()));
        }
        return f.logDir().map(dir -> {
            FeedbackLog log = FeedbackLog.open(dir, new FeedbackLog.Settings(f.segmentMaxBytes(),
                    Durations.parse(f.segmentMaxAge()), f.queueCapacity(), 2_000), Clock.systemUTC());
            FeedbackLog.Recovery r = log.recovery();
            LOG.infof("Feedback log %s: %d events in %d segments%s", dir, r.records(), r.segments(),
                    r.truncatedBytes() > 0 ? "; cut a torn tail of " + r.truncatedBytes() + " bytes ("
                            + r.truncatedBecause() + ")" : "");
            return (FeedbackSink) log;
        }).orElse(null);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (sink != null) {
            sink.close();
        }
    }

    /** Whether feedback is stored (and so acknowledged only once durable). */
    public boolean durable() {
        return sink != null;
    }

    /**
     * Stores an event: completes once it is durable. Refuses at once with
     * {@code SinkOverloadedException} when too much is waiting for the disk or the broker.
     */
    public Optional<CompletableFuture<Void>> store(FeedbackEvent event) {
        return sink == null ? Optional.empty() : Optional.of(sink.store(event));
    }
}
