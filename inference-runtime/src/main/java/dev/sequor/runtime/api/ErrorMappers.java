package dev.sequor.runtime.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.sequor.feedback.SinkOverloadedException;
import dev.sequor.feedback.SinkUnavailableException;
import dev.sequor.runtime.inference.DynamicBatcher;
import dev.sequor.runtime.inference.InferenceException;
import dev.sequor.runtime.routing.NoBackendException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error is a JSON body {"error": "..."} (the Open Inference Protocol's shape): 4xx for
 * client input, 503 when the model cannot take the request now, 500 only for the runtime's own
 * faults.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response notServed(InferenceException e) {
        return error(switch (e.kind()) {
            case INVALID_REQUEST -> 400;
            case UNSERVABLE -> 422;
            case NOT_FOUND -> 404;
            case NOT_READY -> 503;
            case DISABLED -> 403;
        }, e.getMessage());
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return error(400, "malformed JSON: " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response wrongType(MismatchedInputException e) {
        String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .reduce((a, b) -> a + "." + b).orElse("body");
        return error(400, "malformed JSON: " + field + " has the wrong type (" + e.getOriginalMessage() + ")");
    }

    @ServerExceptionMapper
    public Response rejected(DynamicBatcher.Rejected e) {
        return error(503, e.getMessage());
    }

    @ServerExceptionMapper
    public Response expired(DynamicBatcher.Expired e) {
        return error(503, e.getMessage());
    }

    @ServerExceptionMapper
    public Response noBackend(NoBackendException e) {
        return error(503, e.getMessage());
    }

    @ServerExceptionMapper
    public Response timeout(TimeoutException e) {
        return error(503, "the model did not answer in time");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status == 400 && e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json);
        }
        String message = status == 400 ? "malformed JSON or a field of the wrong type"
                : status == 413 ? "request body too large" : status == 415 ? "send application/json"
                : status == 404 ? "no such endpoint" : status == 405 ? "method not allowed" : e.getMessage();
        return error(status, message);
    }

    /** Too many feedback events wait for the disk or the broker: the client retries shortly; nothing was stored. */
    @ServerExceptionMapper
    public Response overloaded(SinkOverloadedException e) {
        return unavailable(e.getMessage(), 1);
    }

    /** The feedback sink is closed or failed: the client retries later. */
    @ServerExceptionMapper
    public Response sinkUnavailable(SinkUnavailableException e) {
        return unavailable(e.getMessage(), 5);
    }

    /** 503 with Retry-After: the request may be sent again after that many seconds. */
    static Response unavailable(String message, int retryAfterSeconds) {
        return Response.status(503).type(MediaType.APPLICATION_JSON).header("Retry-After", retryAfterSeconds)
                .entity(Map.of("error", message)).build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("Request failed", e);
        return error(500, "internal error: " + e.getClass().getSimpleName());
    }

    static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
