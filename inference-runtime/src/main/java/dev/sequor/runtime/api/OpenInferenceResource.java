package dev.sequor.runtime.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequor.modelpackage.OnnxSignature;
import dev.sequor.contract.RuntimeContract;
import dev.sequor.runtime.config.RuntimeConfig;
import dev.sequor.runtime.inference.InferenceException;
import dev.sequor.runtime.inference.LoadedModel;
import dev.sequor.runtime.inference.ModelService;
import dev.sequor.runtime.inference.OipSignature;
import dev.sequor.runtime.inference.TensorInference;
import dev.sequor.runtime.routing.Api;
import dev.sequor.runtime.routing.EntryMetrics;
import dev.sequor.runtime.routing.RestRouting;
import dev.sequor.runtime.routing.RouterHealth;
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
import java.util.Optional;
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
    private final ObjectMapper json;

    public OpenInferenceResource(ModelService models, RuntimeConfig config, TensorInference inference,
            RestRouting routing, RouterHealth routerHealth, EntryMetrics metrics, ObjectMapper json) {
        this.json = json;
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

    /**
     * The body as bytes: JSON, or a JSON header and raw tensors (binary tensor data extension, with
     * {@value OipSignature#HEADER_LENGTH}); a router forwards them untouched. On the event loop:
     * nothing here blocks, the answer completes when the batch has run.
     */
    @POST
    @Path("/models/{name}/infer")
    @Consumes(MediaType.WILDCARD)
    public CompletionStage<Response> infer(@PathParam("name") String name, byte[] body, @Context HttpHeaders headers) {
        String headerLength = headers.getHeaderString(OipSignature.HEADER_LENGTH);
        if (config.router()) {
            requireName(name);
            return routing.infer(name, body, headerLength, headers.getHeaderString(config.routing().userHeader()));
        }
        String routedAs = headers.getHeaderString(RuntimeContract.VARIANT_HEADER);
        String variant = routedAs != null ? routedAs : config.variant();
        long start = System.nanoTime();
        CompletableFuture<Answer> answer;
        try {
            answer = run(require(name, null), body, headerLength, variant);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        CompletionStage<Answer> counted = routedAs == null
                ? metrics.countDirect(Api.OIP_REST, answer, start, Answer::version, variant) : answer;
        return counted.thenApply(a -> a.response().header(RuntimeContract.VARIANT_HEADER, variant).build());
    }

    @POST
    @Path("/models/{name}/versions/{version}/infer")
    @Consumes(MediaType.WILDCARD)
    public CompletionStage<Response> inferVersion(@PathParam("name") String name, @PathParam("version") String version,
            byte[] body, @Context HttpHeaders headers) {
        String headerLength = headers.getHeaderString(OipSignature.HEADER_LENGTH);
        if (config.router()) {
            requireName(name);
            return routing.toVersion(version, "/v2/models/" + name + "/versions/" + version + "/infer", body,
                    headerLength);
        }
        return run(require(name, version), body, headerLength, config.variant()).thenApply(a -> a.response().build());
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
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", config.model().name());
        metadata.put("versions", List.of(m.version()));
        metadata.put("platform", "onnxruntime_onnx");
        metadata.put("inputs", inference.inputs(m).stream().map(OpenInferenceResource::tensor).toList());
        metadata.put("outputs", OipSignature.outputs().stream().map(OpenInferenceResource::tensor).toList());
        // Beyond the protocol's fields (clients ignore unknown ones): the training run's privacy
        // guarantee, and the event types of a model that reads them.
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put(RuntimeContract.PRIVACY_PARAMETER, m.pkg().metadata().privacy());
        if (m.recommender().readsEvents()) {
            parameters.put(RuntimeContract.EVENT_TYPES_PARAMETER, m.pkg().metadata().eventTypes());
        }
        metadata.put("parameters", parameters);
        return metadata;
    }

    /** A tensor's metadata; an optional input also says so and what it defaults to (beyond the protocol's fields). */
    private static Map<String, Object> tensor(OipSignature.TensorSpec spec) {
        Map<String, Object> tensor = new LinkedHashMap<>();
        tensor.put("name", spec.name());
        tensor.put("datatype", spec.datatype());
        tensor.put("shape", spec.shape());
        if (spec.optional()) {
            tensor.put("optional", true);
            tensor.put("parameters", Map.of("default", spec.defaultValue()));
        }
        return tensor;
    }

    /** A response ready to send, and the version that answered (for the metrics). */
    private record Answer(Response.ResponseBuilder response, String version) {
    }

    private CompletableFuture<Answer> run(LoadedModel m, byte[] body, String headerLength, String variant) {
        OipRestRequest request = OipRestRequest.parse(body, headerLength, json);
        request.checkOutputs(OipSignature.outputNames());
        V2Tensor history = request.input(OnnxSignature.INPUT_HISTORY, 2).orElseThrow(() -> InferenceException.invalid(
                "missing input 'history' (inputs: history, and optionally exclude and k)"));
        Optional<V2Tensor> timestamps = request.input(OnnxSignature.INPUT_TIMESTAMPS, 2);
        Optional<V2Tensor> events = request.input(OnnxSignature.INPUT_EVENTS, 2);
        Optional<V2Tensor> exclude = request.input(OnnxSignature.INPUT_EXCLUDE, 2);
        Optional<V2Tensor> k = request.input(OnnxSignature.INPUT_K, 1);
        return inference.infer(m, new TensorInference.Inputs(history.data(), history.shape(),
                timestamps.map(V2Tensor::data).orElse(null), timestamps.map(V2Tensor::shape).orElse(null),
                events.map(V2Tensor::data).orElse(null), events.map(V2Tensor::shape).orElse(null),
                exclude.map(V2Tensor::data).orElse(null), exclude.map(V2Tensor::shape).orElse(null),
                k.map(V2Tensor::data).orElse(null), k.map(V2Tensor::shape).orElse(null)))
                .thenApply(out -> answer(out, request, variant));
    }

    private Answer answer(TensorInference.Outputs out, OipRestRequest request, String variant) {
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("model_name", config.model().name());
        head.put("model_version", out.version());
        if (request.header().hasNonNull("id")) {
            head.put("id", request.header().get("id").asText());
        }
        head.put("parameters", Map.of(RuntimeContract.VARIANT_PARAMETER, variant));
        OipRestResponse written = OipRestResponse.write(head, List.of(
                OipRestResponse.Output.fp32(OnnxSignature.OUTPUT_SCORES, out.rows(), out.k(), out.scores()),
                OipRestResponse.Output.int64(OnnxSignature.OUTPUT_ITEMS, out.rows(), out.k(), out.items())), request, json);
        Response.ResponseBuilder response = Response.ok(written.body())
                .header(RuntimeContract.VERSION_HEADER, out.version());
        if (written.headerLength() != null) {
            response.type(MediaType.APPLICATION_OCTET_STREAM).header(OipSignature.HEADER_LENGTH, written.headerLength());
        } else {
            response.type(MediaType.APPLICATION_JSON);
        }
        return new Answer(response, out.version());
    }
}
