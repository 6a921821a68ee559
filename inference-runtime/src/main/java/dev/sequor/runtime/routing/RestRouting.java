package dev.sequor.runtime.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequor.contract.RuntimeContract;
import dev.sequor.routing.Route;
import dev.sequor.runtime.api.OipRestRequest;
import dev.sequor.runtime.api.RecommendationApi;
import dev.sequor.runtime.config.Durations;
import dev.sequor.runtime.config.RuntimeConfig;
import dev.sequor.runtime.inference.InferenceException;
import dev.sequor.runtime.inference.OipSignature;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The router role of the REST APIs: the recommendation API and the Open Inference Protocol's
 * REST binding, forwarded to the user's variant. The predictor's answer reaches the caller as it
 * was sent, with the variant and version in response headers (and in the body, where the
 * predictor wrote what the router told it).
 */
@ApplicationScoped
public class RestRouting {

    private static final String RECOMMENDATIONS = "/v1/recommendations";

    private final Router router;
    private final Backends backends;
    private final ObjectMapper json;
    private final Duration timeout;

    public RestRouting(Router router, Backends backends, ObjectMapper json, RuntimeConfig config) {
        this.router = router;
        this.backends = backends;
        this.json = json;
        this.timeout = Durations.parse(config.routing().timeout());
    }

    /**
     * Forwards one recommendation request, its bytes untouched; the user key is {@code userId},
     * else the header. The predictor validates the body.
     */
    public CompletionStage<Response> recommend(byte[] request, String headerUser) {
        String userId = RecommendationJson.userId(request);
        String userKey = userId != null ? userId : headerUser;
        return router.route(Api.RECOMMENDATIONS, userKey, new RecommendationExchange(Buffer.buffer(request)))
                .thenApply(routed -> {
                    Backends.HttpReply reply = routed.reply();
                    if (reply.status() == 200) {
                        RecommendationJson.Served served = RecommendationJson.served(reply.body().getBytes());
                        router.served(served.id(), userKey, routed.route(), served.items());
                    }
                    return respond(reply, routed.route());
                });
    }

    /** Forwards each request of a batch to its own user's variant; the answers keep their order. */
    public CompletionStage<Response> recommendAll(List<RecommendationApi.Request> requests, String headerUser) {
        if (requests == null || requests.isEmpty()) {
            throw InferenceException.invalid("requests must hold at least one request");
        }
        List<CompletableFuture<Response>> answers = new ArrayList<>();
        for (RecommendationApi.Request r : requests) {
            answers.add(recommend(write(r), headerUser).toCompletableFuture());
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<JsonNode> responses = new ArrayList<>();
            for (int i = 0; i < answers.size(); i++) {
                Response r = answers.get(i).join();
                JsonNode body = read(Buffer.buffer((byte[]) r.getEntity()), JsonNode.class);
                if (r.getStatus() != 200) {
                    return Response.status(r.getStatus()).type(MediaType.APPLICATION_JSON)
                            .entity(java.util.Map.of("error", "requests[" + i + "]: " + body.path("error").asText())).build();
                }
                responses.add(body);
            }
            return Response.ok(java.util.Map.of("responses", responses)).type(MediaType.APPLICATION_JSON).build();
        });
    }

    /**
     * Forwards an Open Inference Protocol infer call, its bytes untouched (JSON, or a JSON header of
     * {@code headerLength} bytes and raw tensors); the user key is the header, else parameters.user_id.
     */
    public CompletionStage<Response> infer(String name, byte[] body, String headerLength, String headerUser) {
        String userKey = headerUser != null ? headerUser : userParameter(body, headerLength);
        String path = "/v2/models/" + name + "/infer";
        return router.route(Api.OIP_REST, userKey, new HttpExchange(path, Buffer.buffer(body), headerLength))
                .thenApply(routed -> respond(routed.reply(), routed.route()));
    }

    /** A call for one version, by a client that chose it: no stickiness, no fallback. */
    public CompletionStage<Response> toVersion(String version, String path, byte[] body, String headerLength) {
        Route route = router.assignment().split().variants().stream().filter(r -> r.version().equals(version)).findFirst()
                .orElseThrow(() -> new InferenceException(InferenceException.Kind.NOT_FOUND, "version " + version
                        + " is not in the traffic split"));
        return backends.post(route, path, Buffer.buffer(body), headerLength, route.variant(), timeout)
                .handle((reply, error) -> {
                    if (error != null) {
                        throw new NoBackendException("version " + version + " did not answer: " + error.getMessage(),
                                error);
                    }
                    return respond(reply, route);
                });
    }

    /** parameters.user_id of an OIP request's JSON header; null when absent or unreadable (the predictor judges the body). */
    private String userParameter(byte[] body, String headerLength) {
        try {
            JsonNode header = OipRestRequest.readHeader(body, headerLength, json);
            return header == null ? null : header.path("parameters").path(RuntimeContract.USER_PARAMETER).asText(null);
        } catch (InferenceException e) {
            return null;
        }
    }

    /** Metadata calls: answered by the champion. */
    public CompletionStage<Response> fromChampion(String path) {
        Route champion = router.assignment().champion();
        return backends.get(champion, path, timeout).handle((reply, error) -> {
            if (error != null) {
                throw new NoBackendException("the champion (version " + champion.version() + ") did not answer: "
                        + error.getMessage(), error);
            }
            return respond(reply, champion);
        });
    }

    private static Response respond(Backends.HttpReply reply, Route route) {
        Response.ResponseBuilder response = Response.status(reply.status()).entity(reply.body().getBytes())
                .header(RuntimeContract.VARIANT_HEADER, route.variant())
                .header(RuntimeContract.VERSION_HEADER, route.version());
        if (reply.headerLength() != null) {
            return response.type(MediaType.APPLICATION_OCTET_STREAM).header(OipSignature.HEADER_LENGTH,
                    reply.headerLength()).build();
        }
        return response.type(MediaType.APPLICATION_JSON).build();
    }

    private byte[] write(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(Buffer body, Class<T> type) {
        try {
            return json.readValue(body.getBytes(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("a predictor answered with malformed JSON", e);
        }
    }

    private class HttpExchange implements Exchange<Backends.HttpReply> {
        private final String path;
        private final Buffer body;
        private final String headerLength;

        HttpExchange(String path, Buffer body, String headerLength) {
            this.path = path;
            this.body = body;
            this.headerLength = headerLength;
        }

        @Override
        public CompletableFuture<Backends.HttpReply> send(Route route, Duration timeout) {
            return backends.post(route, path, body, headerLength, route.variant(), timeout);
        }

        @Override
        public boolean failed(Backends.HttpReply reply) {
            // 422: the version cannot serve this request (e.g. its vocabulary knows none of the
            // history's items); another version may.
            return reply.status() >= 500 || reply.status() == 422 || reply.status() == 429;
        }

        @Override
        public boolean serverError(Backends.HttpReply reply) {
            return reply.status() >= 500;
        }

        @Override
        public List<String> items(Backends.HttpReply reply) {
            return List.of();
        }
    }

    private class RecommendationExchange extends HttpExchange {
        RecommendationExchange(Buffer body) {
            super(RECOMMENDATIONS, body, null);
        }

        @Override
        public List<String> items(Backends.HttpReply reply) {
            return reply.status() == 200 ? RecommendationJson.served(reply.body().getBytes()).items() : List.of();
        }
    }
}
