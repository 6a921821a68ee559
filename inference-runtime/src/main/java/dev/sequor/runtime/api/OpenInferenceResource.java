package dev.sequor.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sequor.runtime.config.RuntimeConfig;
import dev.sequor.runtime.inference.InferenceException;
import dev.sequor.runtime.inference.LoadedModel;
import dev.sequor.runtime.inference.ModelService;
import dev.sequor.runtime.inference.TensorInference;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    public OpenInferenceResource(ModelService models, RuntimeConfig config, TensorInference inference) {
        this.models = models;
        this.config = config;
        this.inference = inference;
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
        boolean ready = models.state().model() != null;
        return Response.status(ready ? 200 : 503).entity(Map.of("ready", ready)).build();
    }

    @GET
    @Path("/models/{name}")
    public Map<String, Object> model(@PathParam("name") String name) {
        return metadata(require(name, null));
    }

    @GET
    @Path("/models/{name}/versions/{version}")
    public Map<String, Object> modelVersion(@PathParam("name") String name, @PathParam("version") String version) {
        return metadata(require(name, version));
    }

    @GET
    @Path("/models/{name}/ready")
    public Map<String, Object> modelReady(@PathParam("name") String name) {
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
    public Map<String, Object> infer(@PathParam("name") String name, JsonNode body) {
        return run(require(name, null), body);
    }

    @POST
    @Path("/models/{name}/versions/{version}/infer")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> inferVersion(@PathParam("name") String name, @PathParam("version") String version,
            JsonNode body) {
        return run(require(name, version), body);
    }

    private LoadedModel require(String name, String version) {
        return inference.require(name, version);
    }

    private Map<String, Object> metadata(LoadedModel m) {
        int length = m.pkg().maxLength();
        return Map.of("name", config.model().name(), "versions", List.of(m.version()), "platform", "onnxruntime_onnx",
                "inputs", List.of(tensor("history", "INT64", List.of(-1, length)),
                        tensor("exclude", "INT64", List.of(-1, -1)), tensor("k", "INT64", List.of(1))),
                "outputs", List.of(tensor("scores", "FP32", List.of(-1, -1)), tensor("items", "INT64", List.of(-1, -1))));
    }

    private static Map<String, Object> tensor(String name, String type, List<Integer> shape) {
        return Map.of("name", name, "datatype", type, "shape", shape);
    }

    private Map<String, Object> run(LoadedModel m, JsonNode body) {
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
        result.put("outputs", List.of(
                Map.of("name", "scores", "datatype", "FP32", "shape", List.of(out.rows(), out.k()), "data", out.scores()),
                Map.of("name", "items", "datatype", "INT64", "shape", List.of(out.rows(), out.k()), "data", out.items())));
        return result;
    }
}
