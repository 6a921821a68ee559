package dev.sequor.runtime.routing;

import dev.sequor.contract.Metrics;
import dev.sequor.contract.Role;
import dev.sequor.contract.Variant;
import dev.sequor.routing.Route;
import dev.sequor.routing.Shadow;
import dev.sequor.routing.ShadowComparison;
import dev.sequor.routing.StickyAssignment;
import dev.sequor.runtime.config.Durations;
import dev.sequor.runtime.config.RuntimeConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The router role's decisions for one request: the user's sticky variant; the champion instead
 * when a candidate fails or misses its deadline (a fallback, counted); a mirrored copy to the
 * shadow variant that runs beside the answer, never in its way, and is compared with it; the
 * entry metrics of the answer.
 */
@ApplicationScoped
public class Router {

    private static final Logger LOG = Logger.getLogger(Router.class);

    /** The answer and the variant that produced it. */
    public record Routed<R>(R reply, Route route) {
    }

    private final SplitWatcher splits;
    private final EntryMetrics metrics;
    private final Backends backends;
    private final FeedbackAttribution attribution;
    private final Duration candidateTimeout;
    private final Duration timeout;
    private final AtomicInteger inFlight = new AtomicInteger();

    public Router(SplitWatcher splits, EntryMetrics metrics, Backends backends, FeedbackAttribution attribution,
            RuntimeConfig config, MeterRegistry registry) {
        if (config.router()) {
            Gauge.builder(Metrics.IN_FLIGHT, inFlight, AtomicInteger::get)
                    .tags(Metrics.MODEL, config.model().name(), Metrics.ROLE, Role.ROUTER)
                    .description("forwarded requests not yet answered").register(registry);
        }
        this.splits = splits;
        this.metrics = metrics;
        this.backends = backends;
        this.attribution = attribution;
        this.candidateTimeout = Durations.parse(config.routing().candidateTimeout());
        this.timeout = Durations.parse(config.routing().timeout());
    }

    /** The split in force; fails with {@link NoBackendException} when there is none. */
    public StickyAssignment assignment() {
        StickyAssignment assignment = splits.current();
        if (assignment == null) {
            throw new NoBackendException("the router has no traffic split: " + splits.problem(), null);
        }
        return assignment;
    }

    public <R> CompletableFuture<Routed<R>> route(Api api, String userKey, Exchange<R> exchange) {
        long start = System.nanoTime();
        StickyAssignment assignment = assignment();
        inFlight.incrementAndGet();
        Route chosen = assignment.route(userKey);
        Route champion = assignment.champion();
        CompletableFuture<Routed<R>> answer;
        if (chosen == champion || !backends.isUp(chosen)) {
            if (chosen != champion) {
                metrics.fallback(chosen.version(), chosen.variant());
            }
            answer = fromChampion(champion, exchange);
        } else {
            answer = exchange.send(chosen, candidateTimeout).handle((reply, error) -> {
                if (error == null && !exchange.failed(reply)) {
                    return CompletableFuture.completedFuture(new Routed<>(reply, chosen));
                }
                metrics.fallback(chosen.version(), chosen.variant());
                return fromChampion(champion, exchange);
            }).thenCompose(f -> f);
        }
        Shadow shadow = assignment.split().shadow();
        if (shadow != null && !shadow.variant().equals(chosen.variant())
                && ThreadLocalRandom.current().nextDouble() < shadow.share()) {
            mirror(assignment.split().variant(shadow.variant()).orElseThrow(), exchange, answer, start);
        }
        return answer.whenComplete((routed, error) -> {
            inFlight.decrementAndGet();
            long nanos = System.nanoTime() - start;
            if (error != null) {
                metrics.answered(api, champion.version(), Variant.CHAMPION, nanos, true, false);
            } else {
                Route by = routed.route();
                metrics.answered(api, by.version(), by.variant(), nanos, exchange.serverError(routed.reply()),
                        exchange.servesRecommendations());
            }
        });
    }

    /** Records what was served, for feedback attribution. */
    public void served(String id, String userKey, Route route, List<String> items) {
        attribution.served(id, userKey, route.version(), route.variant(), items);
    }

    private <R> CompletableFuture<Routed<R>> fromChampion(Route champion, Exchange<R> exchange) {
        return exchange.send(champion, timeout).handle((reply, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                throw new NoBackendException("the champion (version " + champion.version() + " at " + champion.http()
                        + ") did not answer: " + describe(cause), cause);
            }
            return new Routed<>(reply, champion);
        });
    }

    private record Timed<T>(T value, long nanos) {
    }

    private <R> void mirror(Route shadow, Exchange<R> exchange, CompletableFuture<Routed<R>> primary, long start) {
        CompletableFuture<Timed<R>> copy = exchange.send(shadow, timeout)
                .thenApply(reply -> new Timed<>(reply, System.nanoTime() - start));
        CompletableFuture<Timed<Routed<R>>> answered = primary
                .thenApply(routed -> new Timed<>(routed, System.nanoTime() - start));
        answered.thenAcceptBoth(copy, (ours, theirs) -> {
            if (exchange.failed(theirs.value())) {
                metrics.shadowFailed(shadow.version(), shadow.variant());
                return;
            }
            List<String> served = exchange.items(ours.value().reply());
            List<String> mirrored = exchange.items(theirs.value());
            if (!served.isEmpty()) {
                metrics.shadowCompared(shadow.version(), shadow.variant(),
                        ShadowComparison.overlapAtK(mirrored, served, served.size()),
                        ShadowComparison.rankBiasedOverlap(mirrored, served, ShadowComparison.RBO_PERSISTENCE),
                        ours.nanos(), theirs.nanos());
            }
        }).exceptionally(e -> {
            if (!copy.isCompletedExceptionally() && !answered.isCompletedExceptionally()) {
                LOG.warnf(e, "Comparing the shadow %s's answer failed", shadow.variant());
            }
            return null;
        });
        copy.exceptionally(e -> {
            metrics.shadowFailed(shadow.version(), shadow.variant());
            LOG.debugf("Shadow %s failed: %s", shadow.variant(), e.getMessage());
            return null;
        });
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
