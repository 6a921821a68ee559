package dev.sequor.runtime.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequor.contract.RuntimeContract;
import dev.sequor.runtime.config.RuntimeConfig;
import dev.sequor.runtime.inference.InferenceException;
import dev.sequor.runtime.inference.RecommendationService;
import dev.sequor.runtime.routing.Api;
import dev.sequor.runtime.routing.EntryMetrics;
import dev.sequor.runtime.routing.FeedbackAttribution;
import dev.sequor.runtime.routing.RestRouting;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/**
 * The recommendation API backends call. A predictor answers with its model; a router forwards to
 * the user's variant. Every answer names its variant and version in headers and body.
 */
@Path("/v1/recommendations")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class RecommendationResource {

    private final RecommendationService service;
    private final RuntimeConfig config;
    private final RestRouting routing;
    private final EntryMetrics metrics;
    private final FeedbackAttribution attribution;
    private final ObjectMapper json;

    public RecommendationResource(RecommendationService service, RuntimeConfig config, RestRouting routing,
            EntryMetrics metrics, FeedbackAttribution attribution, ObjectMapper json) {
        this.json = json;
        this.service = service;
        this.config = config;
        this.routing = routing;
        this.metrics = metrics;
        this.attribution = attribution;
    }

    /** The body as bytes: a router forwards them untouched; a predictor reads them as a Request. */
    @POST
    @Operation(summary = "Top-k next items for one user's history")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RecommendationApi.Request.class)))
    public CompletionStage<Response> recommend(byte[] body, @Context HttpHeaders headers) throws IOException {
        String userHeader = headers.getHeaderString(config.routing().userHeader());
        if (config.router()) {
            return routing.recommend(body, userHeader);
        }
        RecommendationApi.Request request = body.length == 0 ? null : json.readValue(body, RecommendationApi.Request.class);
        String routedAs = headers.getHeaderString(RuntimeContract.VARIANT_HEADER);
        String variant = routedAs != null ? routedAs : config.variant();
        long start = System.nanoTime();
        CompletionStage<RecommendationApi.Response> answer = service.recommendAsync(request, variant);
        if (routedAs == null) {
            // Called directly, not through a router: this pod is where the request entered.
            answer = metrics.countDirect(Api.RECOMMENDATIONS, answer, start, RecommendationApi.Response::version, variant)
                    .thenApply(r -> {
                        attribution.served(r.id(), r.userId() != null ? r.userId() : userHeader, r.version(), variant,
                                r.items().stream().map(RecommendationApi.Item::id).toList());
                        return r;
                    });
        }
        return answer.thenApply(r -> Response.ok(r).header(RuntimeContract.VARIANT_HEADER, r.variant())
                .header(RuntimeContract.VERSION_HEADER, r.version()).build());
    }

    @POST
    @Path("/batch")
    @Blocking
    @Operation(summary = "Top-k next items for many users at once")
    public CompletionStage<Response> recommendAll(RecommendationApi.BatchRequest request, @Context HttpHeaders headers) {
        if (request == null) {
            throw InferenceException.invalid("body must be {\"requests\": [...]}");
        }
        if (config.router()) {
            return routing.recommendAll(request.requests(), headers.getHeaderString(config.routing().userHeader()));
        }
        return CompletableFuture.completedFuture(
                Response.ok(new RecommendationApi.BatchResponse(service.recommendAll(request.requests()))).build());
    }
}
