package dev.sequor.runtime.routing;

import dev.sequor.contract.Metrics;
import dev.sequor.runtime.config.RuntimeConfig;
import dev.sequor.runtime.inference.InferenceException;
import dev.sequor.runtime.inference.ModelService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The request-level metrics, counted once where a request enters Sequor: in the router, or in a
 * predictor called directly (a predictor behind a router does not count what the router counted).
 * Counters and histograms only, so that they add up across pods.
 */
@ApplicationScoped
public class EntryMetrics {

    private final MeterRegistry registry;
    private final String model;
    private final Supplier<String> servingVersion;

    public EntryMetrics(MeterRegistry registry, RuntimeConfig config, ModelService models) {
        this.registry = registry;
        this.model = config.model().name();
        this.servingVersion = () -> models.state().model() != null ? models.state().model().version()
                : config.model().version().orElse("");
    }

    public Tags tags(String version, String variant) {
        return Tags.of(Metrics.MODEL, model, Metrics.VERSION, version, Metrics.VARIANT, variant);
    }

    /** The meters of one API, version and variant: looked up once, not on every request. */
    private record RequestMeters(Counter requests, Counter errors, Timer latency, Counter served) {
    }

    private record Key(Api api, String version, String variant) {
    }

    private final Map<Key, RequestMeters> requestMeters = new ConcurrentHashMap<>();

    /** One answered request; {@code serverError} for 5xx / UNAVAILABLE answers. */
    public void answered(Api api, String version, String variant, long nanos, boolean serverError, boolean recommendations) {
        RequestMeters m = requestMeters.computeIfAbsent(new Key(api, version, variant), k -> {
            Tags tags = tags(version, variant).and(Metrics.API, api.label());
            return new RequestMeters(registry.counter(Metrics.REQUESTS_TOTAL, tags),
                    registry.counter(Metrics.REQUEST_ERRORS_TOTAL, tags),
                    Timer.builder(Metrics.REQUEST_SECONDS).tags(tags).description("time from a request's arrival to its answer")
                            .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                            .maximumExpectedValue(Duration.ofSeconds(5)).register(registry),
                    registry.counter(Metrics.RECOMMENDATIONS_SERVED_TOTAL, tags(version, variant)));
        });
        m.requests().increment();
        m.latency().record(nanos, TimeUnit.NANOSECONDS);
        if (serverError) {
            m.errors().increment();
        } else if (recommendations) {
            m.served().increment();
        }
    }

    /**
     * Counts a request a predictor answered directly (no router in front): its own version and
     * variant; errors the caller caused (4xx) are not server errors.
     */
    public <T> CompletionStage<T> countDirect(Api api, CompletionStage<T> answer, long start, Function<T, String> version,
            String variant) {
        return answer.whenComplete((r, error) -> {
            long nanos = System.nanoTime() - start;
            if (error == null) {
                answered(api, version.apply(r), variant, nanos, false, true);
            } else {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                boolean clientError = cause instanceof InferenceException e && e.kind() != InferenceException.Kind.NOT_READY;
                answered(api, servingVersion.get(), variant, nanos, !clientError, false);
            }
        });
    }

    /**
     * Starts a variant's quality counters at zero as soon as it enters the split. Prometheus's
     * {@code increase()} cannot count what a counter held at its first scrape, so a series born
     * with its first requests would under-count the start of a rollout (where the sequential test
     * reads from).
     */
    public void startSeries(String version, String variant) {
        Tags tags = tags(version, variant);
        registry.counter(Metrics.RECOMMENDATIONS_SERVED_TOTAL, tags);
        for (String event : Metrics.EVENT_TYPES) {
            registry.counter(Metrics.FEEDBACK_EVENTS_TOTAL, tags.and(Metrics.EVENT, event));
            if (!event.equals(Metrics.IMPRESSION)) {
                registry.counter(Metrics.FEEDBACK_HITS_TOTAL, tags.and(Metrics.EVENT, event));
            }
        }
    }

    /** A candidate failed or was too late; the champion answered. */
    public void fallback(String candidateVersion, String candidateVariant) {
        registry.counter(Metrics.FALLBACKS_TOTAL, tags(candidateVersion, candidateVariant)).increment();
    }

    public void feedback(String version, String variant, String event, boolean hit) {
        Tags tags = tags(version, variant).and(Metrics.EVENT, event);
        registry.counter(Metrics.FEEDBACK_EVENTS_TOTAL, tags).increment();
        if (hit) {
            registry.counter(Metrics.FEEDBACK_HITS_TOTAL, tags).increment();
        }
    }

    public void shadowCompared(String version, String variant, double overlap, double rbo, long primaryNanos,
            long shadowNanos) {
        Tags tags = tags(version, variant);
        Counter.builder(Metrics.SHADOW_COMPARISONS_TOTAL).tags(tags.and(Metrics.OUTCOME, "compared")).register(registry)
                .increment();
        registry.summary(Metrics.SHADOW_OVERLAP, tags).record(overlap);
        registry.summary(Metrics.SHADOW_RANK_BIASED_OVERLAP, tags).record(rbo);
        registry.timer(Metrics.SHADOW_LATENCY_SECONDS, tags.and(Metrics.SIDE, "primary")).record(Duration.ofNanos(primaryNanos));
        registry.timer(Metrics.SHADOW_LATENCY_SECONDS, tags.and(Metrics.SIDE, "shadow")).record(Duration.ofNanos(shadowNanos));
    }

    public void shadowFailed(String version, String variant) {
        registry.counter(Metrics.SHADOW_COMPARISONS_TOTAL, tags(version, variant).and(Metrics.OUTCOME, "error")).increment();
    }
}
