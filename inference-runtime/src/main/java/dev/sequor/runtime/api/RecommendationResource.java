package dev.sequor.runtime.api;

import dev.sequor.runtime.inference.InferenceException;
import dev.sequor.runtime.inference.RecommendationService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The recommendation API backends call. */
@Path("/v1/recommendations")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class RecommendationResource {

    private final RecommendationService service;

    public RecommendationResource(RecommendationService service) {
        this.service = service;
    }

    @POST
    @Operation(summary = "Top-k next items for one user's history")
    public CompletionStage<RecommendationApi.Response> recommend(RecommendationApi.Request request) {
        return service.recommendAsync(request);
    }

    @POST
    @Path("/batch")
    @Operation(summary = "Top-k next items for many users at once")
    public RecommendationApi.BatchResponse recommendAll(RecommendationApi.BatchRequest request) {
        if (request == null) {
            throw InferenceException.invalid("body must be {\"requests\": [...]}");
        }
        return new RecommendationApi.BatchResponse(service.recommendAll(request.requests()));
    }
}
