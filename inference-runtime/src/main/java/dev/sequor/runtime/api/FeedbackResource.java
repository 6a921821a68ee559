package dev.sequor.runtime.api;

import dev.sequor.contract.Metrics;

import dev.sequor.routing.Route;
import dev.sequor.runtime.config.RuntimeConfig;
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
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the user did next, posted by backend services (through the router, where there is one).
 * Each event is credited to the variant that served the user: the one that produced the named
 * recommendation, else the user's latest recommendation, else the variant the split assigns the
 * user now. A click or interaction on an item of the list served is a hit. Counted in metrics
 * now; stored durably later (issue 11).
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
     */
    public record Feedback(String recommendationId, String userId, String itemId, String event) {
    }

    private final EntryMetrics metrics;
    private final FeedbackAttribution attribution;
    private final ModelService models;
    private final Router router;
    private final RuntimeConfig config;

    public FeedbackResource(EntryMetrics metrics, FeedbackAttribution attribution, ModelService models, Router router,
            RuntimeConfig config) {
        this.metrics = metrics;
        this.attribution = attribution;
        this.models = models;
        this.router = router;
        this.config = config;
    }

    @POST
    public Response record(Feedback f) {
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
        metrics.feedback(version, variant, f.event(), hit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accepted", true);
        body.put("variant", variant);
        body.put("version", version);
        body.put("hit", hit);
        return Response.accepted(body).build();
    }
}
