package dev.sequor.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sequor.runtime.config.Durations;
import dev.sequor.runtime.config.RuntimeConfig;
import dev.sequor.runtime.inference.DynamicBatcher;
import dev.sequor.runtime.inference.LoadedModel;
import dev.sequor.runtime.inference.ModelService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Open Inference Protocol (KServe v2) over REST: health, server and model metadata, and
 * inference on the model's own tensors (history, exclude, k -> scores, items).
 */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
public class OpenInferenceResource {

    private final ModelService models;
    private final RuntimeConfig config;
    private final long timeoutNanos;

    public OpenInferenceResource(ModelService models, RuntimeConfig config) {
        this.models = models;
        this.config = config;
        this.timeoutNanos = Durations.parse(config.inference().timeout()).toNanos();
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
        LoadedModel m = models.state().model();
        if (!config.model().name().equals(name)) {
            throw new BadRequestException(404, "no model named '" + name + "' (this runtime serves '"
                    + config.model().name() + "')");
        }
        if (m == null) {
            throw new BadRequestException(503, "model '" + name + "' is not ready: " + models.state().problem());
        }
        if (version != null && !version.equals(m.version())) {
            throw new BadRequestException(404, "model '" + name + "' has no version '" + version + "' here (serving '"
                    + m.version() + "')");
        }
        return m;
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
            throw new BadRequestException("body must be {\"inputs\": [...]}");
        }
        int length = m.pkg().maxLength();
        V2Tensor history = V2Tensor.find(body, "history", 2);
        V2Tensor exclude = V2Tensor.find(body, "exclude", 2);
        V2Tensor k = V2Tensor.find(body, "k", 1);
        int rows = (int) history.shape()[0];
        if (history.shape()[1] != length) {
            throw new BadRequestException("input 'history' must have shape [batch, " + length + "], got "
                    + history.shapeText());
        }
        if (exclude.shape()[0] != rows || exclude.shape()[1] < 1) {
            throw new BadRequestException("input 'exclude' must have shape [" + rows + ", n>=1], got " + exclude.shapeText());
        }
        if (k.shape()[0] != 1) {
            throw new BadRequestException("input 'k' must have shape [1], got " + k.shapeText());
        }
        int kk = (int) k.data()[0];
        if (kk < 1 || kk > m.pkg().itemCount()) {
            throw new BadRequestException("k must be between 1 and " + m.pkg().itemCount() + ", got " + kk);
        }
        for (long[] t : List.of(history.data(), exclude.data())) {
            for (long v : t) {
                if (v < 0 || v > m.pkg().itemCount()) {
                    throw new BadRequestException("item indices must be between 0 and " + m.pkg().itemCount()
                            + ", got " + v);
                }
            }
        }
        int width = (int) exclude.shape()[1];
        List<CompletableFuture<DynamicBatcher.Answer>> answers = new ArrayList<>();
        long now = System.nanoTime();
        for (int r = 0; r < rows; r++) {
            CompletableFuture<DynamicBatcher.Answer> answer = new CompletableFuture<>();
            m.batcher().submit(new DynamicBatcher.Request(
                    java.util.Arrays.copyOfRange(history.data(), r * length, (r + 1) * length),
                    java.util.Arrays.copyOfRange(exclude.data(), r * width, (r + 1) * width), kk,
                    now + timeoutNanos, now, answer));
            answers.add(answer);
        }
        float[] scores = new float[rows * kk];
        long[] items = new long[rows * kk];
        for (int r = 0; r < rows; r++) {
            DynamicBatcher.Answer a = await(answers.get(r));
            System.arraycopy(a.scores(), 0, scores, r * kk, kk);
            System.arraycopy(a.items(), 0, items, r * kk, kk);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model_name", config.model().name());
        out.put("model_version", m.version());
        if (body.hasNonNull("id")) {
            out.put("id", body.get("id").asText());
        }
        out.put("outputs", List.of(
                Map.of("name", "scores", "datatype", "FP32", "shape", List.of(rows, kk), "data", scores),
                Map.of("name", "items", "datatype", "INT64", "shape", List.of(rows, kk), "data", items)));
        return out;
    }

    private DynamicBatcher.Answer await(CompletableFuture<DynamicBatcher.Answer> answer) {
        try {
            return answer.get(timeoutNanos * 2, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | InterruptedException e) {
            throw new DynamicBatcher.Expired();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }
}
