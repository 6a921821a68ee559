package dev.sequor.runtime.api;

import dev.sequor.contract.Metrics;
import dev.sequor.feedback.FeedbackEvent;
import dev.sequor.routing.Route;
import dev.sequor.runtime.config.RuntimeConfig;
import dev.sequor.runtime.feedback.FeedbackStore;
import dev.sequor.runtime.inference.InferenceException;
import dev.sequor.runtime.inference.ModelService;
import dev.sequor.runtime.routing.EntryMetrics;
import dev.sequor.runtime.routing.FeedbackAttribution;
import dev.sequor.runtime.routing.Router;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the user did next, posted by backend services (through the router, where there is one).
 * Each event is credited to the variant that served the user: the one that produced the named
 * recommendation, else the user's latest recommendation, else the variant the split assigns the
 * user now. A click or interaction on an item of the list served is a hit. With a feedback log,
 * the event is stored ({@link FeedbackEvent}, schema version 1) and acknowledged (202) only once it
 * is on disk; a disk that is behind is answered 503 with Retry-After, and nothing is half-stored.
 * Counted in metrics once accepted.
 */
@Path("/v1/feedback")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class FeedbackResource {

    static final Set<String> EVENTS = Set.copyOf(Metrics.EVENT_TYPES);
    private static final String IMPRESSION = Metrics.IMPRESSION;

    /**
     * @param recommendationId the {@code id} of the recommendation the event is about, if known
     * @param userId the user key (as in the recommendation request)
     * @param itemId the item the user saw or acted on
     * @param event impression (shown), click, or interaction (any later action on the item)
     * @param eventId the event's unique id, so that a retried post is stored once per id as far as
     *        readers are concerned (they deduplicate by it); generated when absent
     * @param timestamp when the user acted, epoch milliseconds; the time of arrival when absent
     */
    public record Feedback(String recommendationId, String userId, String itemId, String event, String eventId,
            Long timestamp) {
    }

    private final EntryMetrics metrics;
    private final FeedbackAttribution attribution;
    private final ModelService models;
    private final Router router;
    private final RuntimeConfig config;
    private final FeedbackStore store;
    /** Seconds a client waits before retrying after the disk or the broker failed to store an event. */
    private static final int RETRY_AFTER_SINK_FAILURE = 5;

    public FeedbackResource(EntryMetrics metrics, FeedbackAttribution attribution, ModelService models, Router router,
            RuntimeConfig config, FeedbackStore store) {
        this.store = store;
        this.metrics = metrics;
        this.attribution = attribution;
        this.models = models;
        this.router = router;
        this.config = config;
    }

    @POST
    public CompletionStage<Response> record(Feedback f) {
        if (f == null || f.itemId() == null || f.itemId().isBlank()) {
            throw InferenceException.invalid("itemId is required");
        }
        if (f.event() == null || !EVENTS.contains(f.event())) {
            throw InferenceException.invalid("event must be one of " + EVENTS + ", got " + f.event());
        }
        Optional<FeedbackAttribution.Served> served = attribution.find(f.recommendationId(), f.userId());
        String version;
        String variant;
        if (served.isPresent()) {
            version = served.get().version();
            variant = served.get().variant();
        } else if (config.router()) {
            Route assigned = router.assignment().route(f.userId());
            version = assigned.version();
            variant = assigned.variant();
        } else {
            version = models.state().model() != null ? models.state().model().version() : "";
            variant = config.variant();
        }
        boolean hit = !f.event().equals(IMPRESSION) && served.map(s -> s.items().contains(f.itemId())).orElse(false);
        FeedbackEvent event = new FeedbackEvent(FeedbackEvent.SCHEMA_VERSION,
                f.eventId() != null ? f.eventId() : UUID.randomUUID().toString(), f.recommendationId(), f.userId(),
                f.itemId(), f.event(), f.timestamp() != null ? f.timestamp() : System.currentTimeMillis(),
                config.model().name(), version, variant);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accepted", true);
        body.put("eventId", event.eventId());
        body.put("variant", variant);
        body.put("version", version);
        body.put("hit", hit);
        if (!store.durable()) {
            metrics.feedback(version, variant, f.event(), hit);
            body.put("stored", false);
            return CompletableFuture.completedFuture(Response.accepted(body).build());
        }
        List<String> problems = event.problems();
        if (!problems.isEmpty()) {
            throw InferenceException.invalid(String.join("; ", problems));
        }
        return store.store(event).orElseThrow().handle((stored, error) -> {
            if (error != null) {
                return ErrorMappers.unavailable(error.getCause() != null ? error.getCause().getMessage() : error.getMessage(),
                        RETRY_AFTER_SINK_FAILURE);
            }
            metrics.feedback(version, variant, f.event(), hit);
            body.put("stored", true);
            return Response.accepted(body).build();
        });
    }
}
