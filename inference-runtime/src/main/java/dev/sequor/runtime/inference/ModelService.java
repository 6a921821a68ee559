package dev.sequor.runtime.inference;

import dev.sequor.contract.Metrics;
import dev.sequor.contract.Role;
import dev.sequor.modelpackage.InvalidPackageException;
import dev.sequor.modelpackage.ModelPackage;
import dev.sequor.modelpackage.mlflow.MlflowCredentials;
import dev.sequor.modelpackage.mlflow.MlflowRegistry;
import dev.sequor.runtime.config.MlflowConfig;
import dev.sequor.runtime.config.RuntimeConfig;
import dev.sequor.runtime.model.PackageFetcher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Holds the model being served and swaps it atomically: a new version is loaded, checked and
 * warmed up beside the old one, then takes new requests; the old one finishes what it had queued
 * and is closed. A package that fails to load never replaces the one serving.
 */
@ApplicationScoped
public class ModelService {

    private static final Logger LOG = Logger.getLogger(ModelService.class);

    /** Why the runtime is not ready, when it is not. */
    public record State(LoadedModel model, String problem) {
    }

    private final RuntimeConfig config;
    private final MeterRegistry metrics;
    private final PackageFetcher fetcher;
    private final AtomicReference<State> state = new AtomicReference<>(new State(null, "no model loaded yet"));
    private final Object loadLock = new Object();

    public ModelService(RuntimeConfig config, MlflowConfig mlflow, MeterRegistry metrics) {
        this.config = config;
        this.metrics = metrics;
        this.fetcher = new PackageFetcher(config.model().cacheDir(), mlflow.uri().map(u -> new MlflowRegistry(u,
                new MlflowCredentials(mlflow.token().orElse(null), mlflow.username().orElse(null),
                        mlflow.password().orElse(null)), Duration.ofSeconds(30))));
        Gauge.builder(Metrics.MODEL_READY, state, s -> s.get().model() != null ? 1 : 0)
                .description("1 when a model is loaded and serving").register(metrics);
    }

    void onStart(@Observes StartupEvent event) {
        if (config.router()) {
            state.set(new State(null, "a router serves no model itself"));
            return;
        }
        Optional<String> uri = config.model().uri();
        if (uri.isEmpty()) {
            state.set(new State(null, "no model configured: set SEQUOR_MODEL_URI"));
            LOG.warn("No model configured (SEQUOR_MODEL_URI); the runtime stays unready");
            return;
        }
        // Load off the start-up thread so liveness answers while a large package downloads.
        Thread loader = new Thread(() -> {
            try {
                load(uri.get(), config.model().version().orElse(""));
            } catch (RuntimeException e) {
                LOG.errorf("Model %s cannot be served: %s", uri.get(), e.getMessage());
            }
        }, "sequor-model-loader");
        loader.setDaemon(true);
        loader.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        State s = state.getAndSet(new State(null, "shutting down"));
        if (s.model() != null) {
            s.model().close();
        }
    }

    public State state() {
        return state.get();
    }

    /** Loads, checks and warms up a package, then swaps it in. Throws, and keeps the old one, on failure. */
    public LoadedModel load(String uri, String version) {
        synchronized (loadLock) {
            long start = System.nanoTime();
            LoadedModel loaded;
            try {
                ModelPackage pkg = ModelPackage.load(fetcher.fetch(uri));
                OnnxRecommender.requireServable(pkg);
                OnnxRecommender recommender = new OnnxRecommender(pkg, threads(), config.inference().spinWait());
                try {
                    recommender.verifyAndWarmUp();
                } catch (RuntimeException e) {
                    recommender.close();
                    throw e;
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                Tags tags = tags(version);
                loaded = new LoadedModel(uri, version, pkg, recommender, new DynamicBatcher(recommender,
                        config.batch().maxSize(), config.batch().maxDelayDuration(), 10_000, observer(tags)), seconds);
                Gauge.builder(Metrics.MODEL_LOAD_SECONDS, () -> seconds).tags(tags)
                        .description("seconds to fetch, check and warm up the model").register(metrics);
                LoadedModel self = loaded;
                Gauge.builder(Metrics.IN_FLIGHT, () -> state.get().model() == self ? self.batcher().queueDepth() : 0)
                        .tags(tags.and(Metrics.ROLE, Role.PREDICTOR))
                        .description("requests waiting for a model run").register(metrics);
                Gauge.builder(Metrics.MODEL_INFO, () -> state.get().model() == null ? 0
                        : state.get().model().version().equals(version) ? 1 : 0)
                        .tags(tags.and(Metrics.PROVIDER, recommender.provider(), Metrics.URI, uri))
                        .description("1 for the version being served").register(metrics);
                LOG.infof("Loaded %s (version %s, %d items, history %d) on %s in %.2fs", uri,
                        version.isEmpty() ? "-" : version, pkg.itemCount(), pkg.maxLength(), recommender.provider(),
                        seconds);
            } catch (InvalidPackageException e) {
                State current = state.get();
                if (current.model() == null) {
                    state.set(new State(null, "model package " + uri + " cannot be served: " + e.getMessage()));
                }
                throw e;
            }
            State previous = state.getAndSet(new State(loaded, null));
            if (previous.model() != null) {
                previous.model().close();
                LOG.infof("Retired %s after draining its queue", previous.model().uri());
            }
            return loaded;
        }
    }

    public Tags tags(String version) {
        return Tags.of(Metrics.MODEL, config.model().name(), Metrics.VERSION, version, Metrics.VARIANT, config.variant());
    }

    private int threads() {
        int configured = config.inference().threads();
        return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    }

    private DynamicBatcher.Observer observer(Tags tags) {
        DistributionSummary batchSize = DistributionSummary.builder(Metrics.BATCH_SIZE).tags(tags)
                .description("requests per model run").serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
                .register(metrics);
        Timer inference = Timer.builder(Metrics.INFERENCE_SECONDS).tags(tags).description("time of one model run")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(2)).register(metrics);
        Counter expired = Counter.builder(Metrics.REQUESTS_EXPIRED_TOTAL).tags(tags)
                .description("requests whose deadline passed in the queue").register(metrics);
        return new DynamicBatcher.Observer() {
            @Override
            public void batch(int size, long inferenceNanos) {
                batchSize.record(size);
                inference.record(Duration.ofNanos(inferenceNanos));
            }

            @Override
            public void expired() {
                expired.increment();
            }
        };
    }
}
