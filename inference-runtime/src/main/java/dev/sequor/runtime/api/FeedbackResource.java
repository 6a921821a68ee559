package dev.sequor.runtime.api;

import dev.sequor.contract.Metrics;
import dev.sequor.runtime.config.RuntimeConfig;
import dev.sequor.runtime.inference.InferenceException;
import dev.sequor.runtime.inference.ModelService;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the user did next, posted by backend services: counted in metrics now (the online hit
 * rate is clicks and interactions on recommended items over impressions); stored durably later.
 */
@Path("/v1/feedback")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class FeedbackResource {

    private static final Set<String> EVENTS = Set.of("impression", "click", "interaction");

    /**
     * @param event impression (shown), click, or interaction (any later action on the item)
     * @param recommended whether the item was one Sequor recommended to this user
     */
    public record Feedback(String userId, String itemId, String event, Boolean recommended) {
    }

    private final MeterRegistry metrics;
    private final ModelService models;
    private final AtomicLong impressions = new AtomicLong();
    private final AtomicLong hits = new AtomicLong();

    public FeedbackResource(MeterRegistry metrics, ModelService models, RuntimeConfig config) {
        this.metrics = metrics;
        this.models = models;
        Gauge.builder(Metrics.ONLINE_HIT_RATE, () -> impressions.get() == 0 ? 0.0
                        : (double) hits.get() / impressions.get())
                .tags(Metrics.MODEL, config.model().name(), Metrics.VARIANT, config.variant())
                .description("clicks and interactions on recommended items per impression, since start")
                .register(metrics);
    }

    @POST
    public Response record(Feedback f) {
        if (f == null || f.itemId() == null || f.itemId().isBlank()) {
            throw InferenceException.invalid("itemId is required");
        }
        if (f.event() == null || !EVENTS.contains(f.event())) {
            throw InferenceException.invalid("event must be one of " + EVENTS + ", got " + f.event());
        }
        boolean recommended = f.recommended() == null || f.recommended();
        String version = models.state().model() != null ? models.state().model().version() : "";
        Tags tags = models.tags(version).and(Metrics.EVENT, f.event(), Metrics.RECOMMENDED, Boolean.toString(recommended));
        metrics.counter(Metrics.FEEDBACK_EVENTS_TOTAL, tags).increment();
        if (f.event().equals("impression")) {
            impressions.incrementAndGet();
        } else if (recommended) {
            hits.incrementAndGet();
        }
        return Response.accepted(Map.of("accepted", true)).build();
    }
}
