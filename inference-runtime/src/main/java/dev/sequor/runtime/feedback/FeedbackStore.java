package dev.sequor.runtime.feedback;

import dev.sequor.feedback.FeedbackEvent;
import dev.sequor.feedback.FeedbackLog;
import dev.sequor.runtime.config.Durations;
import dev.sequor.runtime.config.RuntimeConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Where feedback is kept: the embedded durable log when {@code sequor.feedback.log-dir} is set
 * (opened, and its torn tail cut, at start-up), else nowhere (counted in metrics only).
 */
@ApplicationScoped
public class FeedbackStore {

    private static final Logger LOG = Logger.getLogger(FeedbackStore.class);

    private final RuntimeConfig config;
    private volatile FeedbackLog log;

    public FeedbackStore(RuntimeConfig config) {
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        config.feedback().logDir().ifPresent(dir -> {
            RuntimeConfig.Feedback f = config.feedback();
            log = FeedbackLog.open(dir, new FeedbackLog.Settings(f.segmentMaxBytes(), Durations.parse(f.segmentMaxAge()),
                    f.queueCapacity(), 2_000), Clock.systemUTC());
            FeedbackLog.Recovery r = log.recovery();
            LOG.infof("Feedback log %s: %d events in %d segments%s", dir, r.records(), r.segments(),
                    r.truncatedBytes() > 0 ? "; cut a torn tail of " + r.truncatedBytes() + " bytes (" + r.truncatedBecause()
                            + ")" : "");
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        if (log != null) {
            log.close();
        }
    }

    /** Whether feedback is stored (and so acknowledged only once on disk). */
    public boolean durable() {
        return log != null;
    }

    /**
     * Stores an event: completes with its offset once it is on disk. Refuses at once with
     * {@code SinkOverloadedException} when the disk is behind.
     */
    public Optional<CompletableFuture<Long>> store(FeedbackEvent event) {
        return log == null ? Optional.empty() : Optional.of(log.append(event.toBytes()));
    }
}
