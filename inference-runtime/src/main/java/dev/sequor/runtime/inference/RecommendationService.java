package dev.sequor.runtime.inference;

import dev.sequor.contract.Metrics;
import dev.sequor.modelpackage.ModelPackage;
import dev.sequor.runtime.api.RecommendationApi;
import dev.sequor.runtime.config.Durations;
import dev.sequor.runtime.config.RuntimeConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Turns external item ids into model inputs and back. Unknown history items are skipped (and
 * reported and counted), with their times and event types; a history longer than the model reads is truncated to its most recent
 * items; the history's own items are excluded unless asked otherwise.
 */
@ApplicationScoped
public class RecommendationService {

    private final ModelService models;
    private final RuntimeConfig config;
    private final MeterRegistry metrics;
    private final long timeoutNanos;

    public RecommendationService(ModelService models, RuntimeConfig config, MeterRegistry metrics) {
        this.models = models;
        this.config = config;
        this.metrics = metrics;
        this.timeoutNanos = Durations.parse(config.inference().timeout()).toNanos();
    }

    public RecommendationApi.Response recommend(RecommendationApi.Request request) {
        return await(submit(request, config.variant()));
    }

    /**
     * The same, without holding a thread while the request waits for its batch.
     *
     * @param variant the variant the answer reports: the router's choice, or this pod's own
     */
    public CompletableFuture<RecommendationApi.Response> recommendAsync(RecommendationApi.Request request, String variant) {
        Pending p = submit(request, variant);
        return p.answer().orTimeout(timeoutNanos * 2, TimeUnit.NANOSECONDS).thenApply(a -> respond(p, a));
    }

    public List<RecommendationApi.Response> recommendAll(List<RecommendationApi.Request> requests) {
        if (requests == null || requests.isEmpty()) {
            throw InferenceException.invalid("requests must hold at least one request");
        }
        if (requests.size() > config.batch().maxSize() * 8) {
            throw InferenceException.invalid("at most " + config.batch().maxSize() * 8 + " requests per batch call");
        }
        List<Pending> pending = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            try {
                pending.add(submit(requests.get(i), config.variant()));
            } catch (InferenceException e) {
                throw new InferenceException(e.kind(), "requests[" + i + "]: " + e.getMessage());
            }
        }
        return pending.stream().map(this::await).toList();
    }

    private record Pending(LoadedModel model, RecommendationApi.Request request, String variant, List<String> unknown,
            CompletableFuture<DynamicBatcher.Answer> answer) {
    }

    private Pending submit(RecommendationApi.Request r, String variant) {
        // A hot swap can retire the model between reading it and queueing on it: then the new one answers.
        for (int attempt = 1;; attempt++) {
            try {
                return submit(models.state().model(), r, variant);
            } catch (DynamicBatcher.Rejected e) {
                if (!e.retired() || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private Pending submit(LoadedModel model, RecommendationApi.Request r, String variant) {
        if (model == null) {
            throw new InferenceException(InferenceException.Kind.NOT_READY, "no model is ready: " + models.state().problem());
        }
        if (r == null || r.history() == null || r.history().isEmpty()) {
            throw InferenceException.invalid("history must list at least one item id");
        }
        int k = r.k() != null ? r.k() : config.topK().defaultK();
        int maxK = Math.min(config.topK().max(), model.pkg().itemCount());
        if (k < 1 || k > maxK) {
            throw InferenceException.invalid("k must be between 1 and " + maxK + ", got " + k);
        }
        ModelPackage pkg = model.pkg();
        HistoryRows rows = HistoryRows.of(r, model, System.currentTimeMillis() / 1000);
        List<String> unknown = rows.unknown();
        List<Long> known = rows.known();
        if (!unknown.isEmpty()) {
            metrics.counter(Metrics.UNKNOWN_ITEMS_TOTAL, models.tags(model.version())).increment(unknown.size());
        }
        if (known.isEmpty()) {
            throw new InferenceException(InferenceException.Kind.UNSERVABLE, "none of the history's items is known to model version "
                    + (model.version().isEmpty() ? model.uri() : model.version()) + ": " + unknown);
        }
        Set<Long> exclude = new LinkedHashSet<>();
        if (r.excludeHistory() == null || r.excludeHistory()) {
            exclude.addAll(known);
        }
        if (r.exclude() != null) {
            for (String id : r.exclude()) {
                Integer index = pkg.vocabulary().index(id);
                if (index != null) {
                    exclude.add((long) index);
                }
            }
        }
        if (exclude.size() > pkg.itemCount() - k) {
            throw InferenceException.invalid("excluding " + exclude.size() + " items leaves fewer than k=" + k);
        }
        long[] excluded = exclude.isEmpty() ? new long[] {0} : exclude.stream().mapToLong(Long::longValue).toArray();
        long now = System.nanoTime();
        CompletableFuture<DynamicBatcher.Answer> answer = new CompletableFuture<>();
        model.batcher().submit(new DynamicBatcher.Request(rows.items(), rows.times(), rows.events(), excluded, k,
                now + timeoutNanos, now, answer));
        return new Pending(model, r, variant, unknown, answer);
    }

    private RecommendationApi.Response await(Pending p) {
        return respond(p, DynamicBatcher.await(p.answer(), timeoutNanos * 2));
    }

    private RecommendationApi.Response respond(Pending p, DynamicBatcher.Answer a) {
        metrics.timer(Metrics.QUEUE_WAIT_SECONDS, models.tags(p.model().version()))
                .record(java.time.Duration.ofNanos(Math.max(0, a.queueNanos())));
        List<RecommendationApi.Item> items = new ArrayList<>(a.items().length);
        for (int i = 0; i < a.items().length; i++) {
            items.add(new RecommendationApi.Item(p.model().pkg().vocabulary().externalId((int) a.items()[i]), a.scores()[i]));
        }
        return new RecommendationApi.Response(newId(), p.request().userId(), config.model().name(), p.model().version(),
                p.variant(), items, p.unknown());
    }

    /** 128 random bits, hex: unique enough to name a recommendation for feedback. */
    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong());
    }
}
