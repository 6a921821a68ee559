package dev.sequor.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** Test setup through MLflow's REST API, independent of the client the operator uses. */
public final class MlflowRest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    public MlflowRest(String trackingUri) {
        this.base = trackingUri + "/api/2.0/mlflow/";
    }

    public void createRegisteredModel(String name) {
        post("registered-models/create", Map.of("name", name));
    }

    /** Registers a version and returns its number. */
    public String createModelVersion(String name, String source) {
        return post("model-versions/create", Map.of("name", name, "source", source))
                .path("model_version").path("version").asText();
    }

    public void setAlias(String name, String alias, String version) {
        post("registered-models/alias", Map.of("name", name, "alias", alias, "version", version));
    }

    public void deleteAlias(String name, String alias) {
        try {
            send(HttpRequest.newBuilder(URI.create(base + "registered-models/alias"))
                    .header("Content-Type", "application/json")
                    .method("DELETE", HttpRequest.BodyPublishers.ofString(
                            JSON.writeValueAsString(Map.of("name", name, "alias", alias)))).build());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode post(String path, Map<String, String> body) {
        try {
            return send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(request.method() + " " + request.uri() + " -> " + r.statusCode() + " "
                        + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
