package dev.sequor.runtime.routing;

import dev.sequor.contract.Metrics;
import dev.sequor.routing.InvalidSplitException;
import dev.sequor.routing.Route;
import dev.sequor.routing.StickyAssignment;
import dev.sequor.routing.TrafficSplit;
import dev.sequor.runtime.config.Durations;
import dev.sequor.runtime.config.RuntimeConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The router's traffic split, re-read from its file whenever the content changes (a mounted
 * ConfigMap is replaced by an atomic symlink swap, so the file is read whole, never half-written).
 * An invalid file is refused as a whole: the last valid split stays in force and the refusal is
 * logged and counted.
 */
@ApplicationScoped
public class SplitWatcher {

    private static final Logger LOG = Logger.getLogger(SplitWatcher.class);

    private final RuntimeConfig config;
    private final AtomicReference<StickyAssignment> current = new AtomicReference<>();
    private final AtomicReference<String> problem = new AtomicReference<>("no traffic split read yet");
    private final Counter rejected;
    private final MultiGauge weights;
    private final EntryMetrics metrics;
    private ScheduledExecutorService poller;
    private byte[] lastRead;

    public SplitWatcher(RuntimeConfig config, MeterRegistry registry, EntryMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.rejected = Counter.builder(Metrics.SPLIT_REJECTED_TOTAL)
                .description("traffic split files refused as invalid").register(registry);
        this.weights = MultiGauge.builder(Metrics.SPLIT_WEIGHT).description("percent of users per variant now")
                .register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.router()) {
            return;
        }
        if (config.routing().splitFile().isEmpty()) {
            problem.set("no traffic split file configured: set SEQUOR_ROUTER_SPLIT_FILE");
            LOG.warn(problem.get());
            return;
        }
        reload();
        long interval = Durations.parse(config.routing().reloadInterval()).toMillis();
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sequor-split-watcher");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::reload, interval, interval, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    /** The split in force, or null before a valid one was read. */
    public StickyAssignment current() {
        return current.get();
    }

    /** Why there is no split, when there is none; else the last refusal, if any. */
    public String problem() {
        return problem.get();
    }

    synchronized void reload() {
        Path file = config.routing().splitFile().orElseThrow();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            if (current.get() == null) {
                problem.set("traffic split file " + file + " does not exist");
            }
            return;
        } catch (IOException e) {
            problem.set("cannot read traffic split file " + file + ": " + e.getMessage());
            return;
        }
        if (Arrays.equals(bytes, lastRead)) {
            return;
        }
        lastRead = bytes;
        try {
            TrafficSplit split = TrafficSplit.parse(bytes);
            StickyAssignment previous = current.getAndSet(new StickyAssignment(split));
            problem.set(null);
            split.variants().forEach(r -> metrics.startSeries(r.version(), r.variant()));
            weights.register(split.variants().stream().map(r -> MultiGauge.Row.of(
                    Tags.of(Metrics.MODEL, split.model(), Metrics.VERSION, r.version(), Metrics.VARIANT, r.variant()),
                    r.weight())).toList(), true);
            LOG.infof("Traffic split %s: %s%s", previous == null ? "loaded" : "changed", describe(split.variants()),
                    split.shadow() == null ? "" : ", shadow " + split.shadow().variant() + " " + split.shadow().share());
        } catch (InvalidSplitException e) {
            rejected.increment();
            problem.set(e.getMessage() + (current.get() == null ? "" : " (the previous split stays in force)"));
            LOG.errorf("Refused traffic split %s: %s", file, problem.get());
        }
    }

    private static String describe(List<Route> routes) {
        return String.join(", ", routes.stream().map(r -> r.variant() + " v" + r.version() + " " + r.weight() + "%").toList());
    }
}
