package dev.sequor.trainer.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * Tracks a training run in MLflow with the Java mlflow-client (parameters, per-epoch metrics,
 * tags), uploads the model package through the tracking server's artifact proxy over HTTP, and
 * registers it as a new model version. Credentials come from MLFLOW_TRACKING_TOKEN or
 * MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD.
 */
public final class MlflowTracker implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARTIFACT_SCHEME = "mlflow-artifacts:/";

    private final String trackingUri;
    private final Map<String, String> env;
    private final MlflowClient client;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private RunInfo run;

    public MlflowTracker(String trackingUri, Map<String, String> env) {
        this.trackingUri = trackingUri.replaceAll("/+$", "");
        this.env = env;
        this.client = new MlflowClient(credentials());
    }

    /** Starts a run in the named experiment (created when missing) and returns its id. */
    public String startRun(String experiment, String runName) {
        String experimentId = client.getExperimentByName(experiment)
                .map(e -> e.getExperimentId())
                .orElseGet(() -> client.createExperiment(experiment));
        run = client.createRun(org.mlflow.api.proto.Service.CreateRun.newBuilder()
                .setExperimentId(experimentId).setRunName(runName)
                .setStartTime(System.currentTimeMillis()).build());
        if (!run.getArtifactUri().startsWith(ARTIFACT_SCHEME)) {
            throw new IllegalStateException("MLflow at " + trackingUri + " stores artifacts at " + run.getArtifactUri()
                    + "; Sequor uploads through the artifact proxy, so start the server with --serve-artifacts");
        }
        return run.getRunId();
    }

    public void logParams(Map<String, ?> params) {
        params.forEach((k, v) -> client.logParam(run.getRunId(), k, String.valueOf(v)));
    }

    public void logMetric(String key, double value, int step) {
        client.logMetric(run.getRunId(), key, value, System.currentTimeMillis(), step);
    }

    public void setTag(String key, String value) {
        client.setTag(run.getRunId(), key, value);
    }

    /** Uploads files under the run's artifacts, into {@code artifactDir}. */
    public void uploadArtifacts(String artifactDir, Iterable<Path> files) throws IOException {
        String base = trackingUri + "/api/2.0/mlflow-artifacts/artifacts/"
                + run.getArtifactUri().substring(ARTIFACT_SCHEME.length()).replaceAll("^/+", "") + "/" + artifactDir;
        for (Path file : files) {
            HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(base + "/" + file.getFileName()))
                    .timeout(Duration.ofMinutes(5))
                    .PUT(HttpRequest.BodyPublishers.ofFile(file));
            authorization().ifPresent(a -> put.header("Authorization", a));
            try {
                HttpResponse<String> response = http.send(put.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 != 2) {
                    throw new IOException("uploading " + file.getFileName() + " to MLflow failed: HTTP "
                            + response.statusCode() + " " + response.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while uploading " + file, e);
            }
        }
    }

    /** Registers the run's {@code artifactDir} as a new version (creating the model) and returns its number. */
    public String registerVersion(String model, String artifactDir, Map<String, String> tags) {
        try {
            client.sendPost("registered-models/create", JSON.writeValueAsString(Map.of("name", model)));
        } catch (MlflowHttpException e) {
            if (!String.valueOf(e.getBodyMessage()).contains("RESOURCE_ALREADY_EXISTS")) {
                throw e;
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ObjectNode body = JSON.createObjectNode()
                .put("name", model)
                .put("source", run.getArtifactUri() + "/" + artifactDir)
                .put("run_id", run.getRunId());
        ArrayNode tagList = body.putArray("tags");
        tags.forEach((k, v) -> tagList.addObject().put("key", k).put("value", v));
        try {
            return JSON.readTree(client.sendPost("model-versions/create", JSON.writeValueAsString(body)))
                    .path("model_version").path("version").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void setAlias(String model, String alias, String version) {
        try {
            client.sendPost("registered-models/alias",
                    JSON.writeValueAsString(Map.of("name", model, "alias", alias, "version", version)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void finish(boolean success) {
        if (run != null) {
            client.setTerminated(run.getRunId(), success ? RunStatus.FINISHED : RunStatus.FAILED);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    private BasicMlflowHostCreds credentials() {
        String token = env.get("MLFLOW_TRACKING_TOKEN");
        if (token != null) {
            return new BasicMlflowHostCreds(trackingUri, token);
        }
        String user = env.get("MLFLOW_TRACKING_USERNAME");
        if (user != null) {
            return new BasicMlflowHostCreds(trackingUri, user, env.get("MLFLOW_TRACKING_PASSWORD"));
        }
        return new BasicMlflowHostCreds(trackingUri);
    }

    private java.util.Optional<String> authorization() {
        String token = env.get("MLFLOW_TRACKING_TOKEN");
        if (token != null) {
            return java.util.Optional.of("Bearer " + token);
        }
        String user = env.get("MLFLOW_TRACKING_USERNAME");
        if (user != null) {
            String pair = user + ":" + env.getOrDefault("MLFLOW_TRACKING_PASSWORD", "");
            return java.util.Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes()));
        }
        return java.util.Optional.empty();
    }
}
