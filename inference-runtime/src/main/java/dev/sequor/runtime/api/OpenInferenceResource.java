package dev.sequor.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sequor.contract.RuntimeContract;
import dev.sequor.runtime.config.RuntimeConfig;
import dev.sequor.runtime.inference.InferenceException;
import dev.sequor.runtime.inference.LoadedModel;
import dev.sequor.runtime.inference.ModelService;
import dev.sequor.runtime.inference.TensorInference;
import dev.sequor.runtime.routing.Api;
import dev.sequor.runtime.routing.EntryMetrics;
import dev.sequor.runtime.routing.RestRouting;
import dev.sequor.runtime.routing.RouterHealth;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The Open Inference Protocol (KServe v2) over REST: health, server and model metadata, and
 * inference on the model's own tensors (history, exclude, k -> scores, items).
 */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
public class OpenInferenceResource {

    private final ModelService models;
    private final RuntimeConfig config;
    private final TensorInference inference;
    private final RestRouting routing;
    private final RouterHealth routerHealth;
    private final EntryMetrics metrics;

    public OpenInferenceResource(ModelService models, RuntimeConfig config, TensorInference inference,
            RestRouting routing, RouterHealth routerHealth, EntryMetrics metrics) {
        this.models = models;
        this.config = config;
        this.inference = inference;
        this.routing = routing;
        this.routerHealth = routerHealth;
        this.metrics = metrics;
    }

    @GET
    public Map<String, Object> server() {
        return Map.of("name", "sequor-inference-runtime", "version", "0.1.0", "extensions", List.of());
    }

    @GET
    @Path("/health/live")
    public Map<String, Object> live() {
        return Map.of("live", true);
    }

    @GET
    @Path("/health/ready")
    public Response ready() {
        boolean ready = config.router() ? routerHealth.problem().isEmpty() : models.state().model() != null;
        return Response.status(ready ? 200 : 503).entity(Map.of("ready", ready)).build();
    }

    @GET
    @Path("/models/{name}")
    public CompletionStage<Response> model(@PathParam("name") String name) {
        if (config.router()) {
            return routing.fromChampion("/v2/models/" + name);
        }
        return CompletableFuture.completedFuture(Response.ok(metadata(require(name, null))).build());
    }

    @GET
    @Path("/models/{name}/versions/{version}")
    public Map<String, Object> modelVersion(@PathParam("name") String name, @PathParam("version") String version) {
        return metadata(require(name, version));
    }

    @GET
    @Path("/models/{name}/ready")
    public Map<String, Object> modelReady(@PathParam("name") String name) {
        if (config.router()) {
            requireName(name);
            routerHealth.problem().ifPresent(p -> {
                throw new InferenceException(InferenceException.Kind.NOT_READY, p);
            });
            return Map.of("name", name, "ready", true);
        }
        require(name, null);
        return Map.of("name", name, "ready", true);
    }

    @GET
    @Path("/models/{name}/versions/{version}/ready")
    public Map<String, Object> modelVersionReady(@PathParam("name") String name, @PathParam("version") String version) {
        require(name, version);
        return Map.of("name", name, "ready", true);
    }

    @POST
    @Path("/models/{name}/infer")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public CompletionStage<Response> infer(@PathParam("name") String name, JsonNode body, @Context HttpHeaders headers) {
        if (config.router()) {
            requireName(name);
            return routing.infer(name, body, headers.getHeaderString(config.routing().userHeader()));
        }
        String routedAs = headers.getHeaderString(RuntimeContract.VARIANT_HEADER);
        String variant = routedAs != null ? routedAs : config.variant();
        long start = System.nanoTime();
        CompletableFuture<Map<String, Object>> answer;
        try {
            answer = CompletableFuture.completedFuture(run(require(name, null), body, variant));
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        CompletionStage<Map<String, Object>> counted = routedAs == null
                ? metrics.countDirect(Api.OIP_REST, answer, start, r -> (String) r.get("model_version"), variant) : answer;
        return counted.thenApply(r -> Response.ok(r).header(RuntimeContract.VARIANT_HEADER, variant)
                .header(RuntimeContract.VERSION_HEADER, r.get("model_version")).build());
    }

    @POST
    @Path("/models/{name}/versions/{version}/infer")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public CompletionStage<Response> inferVersion(@PathParam("name") String name, @PathParam("version") String version,
            JsonNode body) {
        if (config.router()) {
            requireName(name);
            return routing.toVersion(version, "/v2/models/" + name + "/versions/" + version + "/infer", body);
        }
        return CompletableFuture.completedFuture(Response.ok(run(require(name, version), body, config.variant())).build());
    }

    private LoadedModel require(String name, String version) {
        if (config.router()) {
            throw new InferenceException(InferenceException.Kind.NOT_FOUND, "a router serves no model itself: call "
                    + "/v2/models/" + name + "/infer, or /versions/VERSION/infer for one version");
        }
        return inference.require(name, version);
    }

    private void requireName(String name) {
        if (!config.model().name().equals(name)) {
            throw new InferenceException(InferenceException.Kind.NOT_FOUND, "no model named '" + name + "' (this server routes '"
                    + config.model().name() + "')");
        }
    }

    private Map<String, Object> metadata(LoadedModel m) {
        int length = m.pkg().maxLength();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", config.model().name());
        metadata.put("versions", List.of(m.version()));
        metadata.put("platform", "onnxruntime_onnx");
        metadata.put("inputs", List.of(tensor("history", "INT64", List.of(-1, length)),
                tensor("exclude", "INT64", List.of(-1, -1)), tensor("k", "INT64", List.of(1))));
        metadata.put("outputs", List.of(tensor("scores", "FP32", List.of(-1, -1)),
                tensor("items", "INT64", List.of(-1, -1))));
        // Beyond the protocol's fields (clients ignore unknown ones): the training run's privacy guarantee.
        metadata.put("parameters", Map.of(RuntimeContract.PRIVACY_PARAMETER, m.pkg().metadata().privacy()));
        return metadata;
    }

    private static Map<String, Object> tensor(String name, String type, List<Integer> shape) {
        return Map.of("name", name, "datatype", type, "shape", shape);
    }

    private Map<String, Object> run(LoadedModel m, JsonNode body, String variant) {
        if (body == null || !body.path("inputs").isArray()) {
            throw InferenceException.invalid("body must be {\"inputs\": [...]}");
        }
        V2Tensor history = V2Tensor.find(body, "history", 2);
        V2Tensor exclude = V2Tensor.find(body, "exclude", 2);
        V2Tensor k = V2Tensor.find(body, "k", 1);
        TensorInference.Outputs out = inference.infer(m, new TensorInference.Inputs(history.data(), history.shape(),
                exclude.data(), exclude.shape(), k.data(), k.shape()));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("model_name", config.model().name());
        result.put("model_version", out.version());
        if (body.hasNonNull("id")) {
            result.put("id", body.get("id").asText());
        }
        result.put("parameters", Map.of(RuntimeContract.VARIANT_PARAMETER, variant));
        result.put("outputs", List.of(
                Map.of("name", "scores", "datatype", "FP32", "shape", List.of(out.rows(), out.k()), "data", out.scores()),
                Map.of("name", "items", "datatype", "INT64", "shape", List.of(out.rows(), out.k()), "data", out.items())));
        return result;
    }
}
