package dev.sequor.modelpackage.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequor.modelpackage.HttpCalls;
import dev.sequor.modelpackage.PackageDownload;
import dev.sequor.modelpackage.RegisteredVersion;
import dev.sequor.modelpackage.RegistryException.Kind;
import dev.sequor.modelpackage.RegistryException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The MLflow Model Registry and artifact store, over MLflow's REST API: registered models,
 * versions, aliases, and package files through the tracking server's artifact proxy
 * ({@code /api/2.0/mlflow-artifacts/artifacts/...}). Every call has a timeout; reads are retried
 * with backoff; failures are {@link RegistryException}s whose kind tells a missing model from a
 * missing version or alias, a refusal, and an unreachable server.
 */
public final class MlflowRegistry {

    public static final String ARTIFACT_SCHEME = "mlflow-artifacts:/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String trackingUri;
    private final MlflowCredentials credentials;
    private final Duration timeout;
    private final HttpCalls http;

    public MlflowRegistry(String trackingUri, MlflowCredentials credentials, Duration timeout) {
        this(trackingUri, credentials, timeout, HttpCalls.standard(timeout));
    }

    public MlflowRegistry(String trackingUri, MlflowCredentials credentials, Duration timeout, HttpCalls http) {
        this.trackingUri = trackingUri.replaceAll("/+$", "");
        this.credentials = credentials;
        this.timeout = timeout;
        this.http = http;
    }

    public String trackingUri() {
        return trackingUri;
    }

    public MlflowCredentials credentials() {
        return credentials;
    }

    /** A version by number or alias (exactly one), which must be READY. */
    public RegisteredVersion resolve(String name, String version, String alias) {
        JsonNode mv = version != null
                ? get("model-versions/get?name=" + enc(name) + "&version=" + enc(version), name,
                        Kind.VERSION_NOT_FOUND, "Registered model '" + name + "' has no version " + version + ".")
                : get("registered-models/alias?name=" + enc(name) + "&alias=" + enc(alias), name,
                        Kind.ALIAS_NOT_FOUND, "Registered model '" + name + "' has no alias '" + alias
                                + "'. Set it in MLflow or use spec.model.registry.version.");
        JsonNode v = mv.path("model_version");
        String status = v.path("status").asText("READY");
        if (!status.equals("READY")) {
            throw new RegistryException(Kind.VERSION_NOT_READY, "Version " + v.path("version").asText()
                    + " of registered model '" + name + "' is " + status + ", not READY.");
        }
        if (v.path("version").asText("").isEmpty() || v.path("source").asText("").isEmpty()) {
            throw new RegistryException(Kind.ERROR, "MLflow answered without a version or source: " + mv);
        }
        return new RegisteredVersion(name, v.path("version").asText(), v.path("source").asText(),
                v.path("run_id").asText(null));
    }

    /** Creates the registered model; one that exists already is fine. */
    public void createRegisteredModel(String name) {
        ObjectNode body = JSON.createObjectNode().put("name", name);
        try {
            post("registered-models/create", body);
        } catch (RegistryException e) {
            if (!String.valueOf(e.getMessage()).contains("RESOURCE_ALREADY_EXISTS")) {
                throw e;
            }
        }
    }

    /** Registers {@code source} as the model's next version (creating the model) and returns it. */
    public RegisteredVersion createVersion(String name, String source, String runId, Map<String, String> tags) {
        createRegisteredModel(name);
        ObjectNode body = JSON.createObjectNode().put("name", name).put("source", source);
        if (runId != null) {
            body.put("run_id", runId);
        }
        ArrayNode tagList = body.putArray("tags");
        tags.forEach((k, v) -> tagList.addObject().put("key", k).put("value", v));
        JsonNode v = post("model-versions/create", body).path("model_version");
        return new RegisteredVersion(name, v.path("version").asText(), source, runId);
    }

    /** A tag of the registered model itself (not of a version); empty when the model or the tag does not exist. */
    public Optional<String> modelTag(String name, String key) {
        JsonNode model;
        try {
            model = get("registered-models/get?name=" + enc(name), name, Kind.REGISTERED_MODEL_NOT_FOUND,
                    "No registered model '" + name + "'.").path("registered_model");
        } catch (RegistryException e) {
            if (e.kind() == Kind.REGISTERED_MODEL_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        for (JsonNode tag : model.path("tags")) {
            if (key.equals(tag.path("key").asText())) {
                return Optional.of(tag.path("value").asText());
            }
        }
        return Optional.empty();
    }

    /** Sets a tag of the registered model (creating the model). */
    public void setModelTag(String name, String key, String value) {
        createRegisteredModel(name);
        post("registered-models/set-tag", JSON.createObjectNode().put("name", name).put("key", key)
                .put("value", value));
    }

    public void setAlias(String name, String alias, String version) {
        post("registered-models/alias", JSON.createObjectNode().put("name", name).put("alias", alias)
                .put("version", version));
    }

    public void deleteAlias(String name, String alias) {
        call(request("registered-models/alias").method("DELETE", HttpRequest.BodyPublishers.ofString(
                JSON.createObjectNode().put("name", name).put("alias", alias).toString())).build(), true,
                Kind.ALIAS_NOT_FOUND, "Registered model '" + name + "' has no alias '" + alias + "'.");
    }

    /** The artifact root of a run ({@code mlflow-artifacts:/...} when the server proxies artifacts). */
    public String runArtifactUri(String runId) {
        return call(request("runs/get?run_id=" + enc(runId)).GET().build(), true, Kind.ERROR,
                "MLflow has no run " + runId + ".").path("run").path("info").path("artifact_uri").asText();
    }

    /** Uploads a file to {@code artifactUri/relativePath} through the artifact proxy. */
    public void uploadArtifact(String artifactUri, String relativePath, Path file) {
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(proxyUrl(artifactUri) + "/" + relativePath))
                .timeout(Duration.ofMinutes(5)).PUT(fileBody(file));
        credentials.authorization().ifPresent(a -> put.header("Authorization", a));
        call(put.build(), true, Kind.ERROR, "MLflow refused the upload of " + relativePath + ".");
    }

    /** Downloads the package at {@code artifactUri} into {@code cacheDir}; see {@link PackageDownload}. */
    public Path downloadPackage(String artifactUri, Path cacheDir) {
        try {
            return PackageDownload.fetch(http, proxyUrl(artifactUri), credentials.authorization(), cacheDir,
                    artifactUri);
        } catch (IOException e) {
            throw new RegistryException(HttpCalls.unreachable(e) ? Kind.UNREACHABLE : Kind.ERROR,
                    "Cannot download " + artifactUri + " from MLflow at " + trackingUri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(Kind.UNREACHABLE, "Interrupted while downloading " + artifactUri, e);
        }
    }

    /** The proxy URL of an {@code mlflow-artifacts:/} URI. */
    public String proxyUrl(String artifactUri) {
        if (!artifactUri.startsWith(ARTIFACT_SCHEME)) {
            throw new RegistryException(Kind.ERROR, "MLflow at " + trackingUri + " stores artifacts at " + artifactUri
                    + "; Sequor moves them through the artifact proxy, so start the server with --serve-artifacts");
        }
        String path = artifactUri.substring(ARTIFACT_SCHEME.length()).replaceAll("^/+", "").replaceAll("/+$", "");
        return trackingUri + "/api/2.0/mlflow-artifacts/artifacts/" + path;
    }

    private JsonNode get(String query, String model, Kind notFound, String notFoundMessage) {
        try {
            return call(request(query).GET().build(), true, notFound, notFoundMessage);
        } catch (RegistryException e) {
            if (e.kind() == notFound && modelMissing(model)) {
                throw new RegistryException(Kind.REGISTERED_MODEL_NOT_FOUND,
                        "MLflow at " + trackingUri + " has no registered model '" + model + "'.", e);
            }
            throw e;
        }
    }

    private boolean modelMissing(String model) {
        try {
            call(request("registered-models/get?name=" + enc(model)).GET().build(), true, Kind.REGISTERED_MODEL_NOT_FOUND,
                    "no model");
            return false;
        } catch (RegistryException e) {
            return e.kind() == Kind.REGISTERED_MODEL_NOT_FOUND;
        }
    }

    private JsonNode post(String path, JsonNode body) {
        // Creates are not repeated after an answer (they might have happened), only when the
        // connection was refused.
        return call(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), false, Kind.ERROR,
                "MLflow refused " + path + ".");
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(trackingUri + "/api/2.0/mlflow/" + pathAndQuery))
                .timeout(timeout);
        credentials.authorization().ifPresent(a -> b.header("Authorization", a));
        return b;
    }

    private JsonNode call(HttpRequest request, boolean idempotent, Kind notFound, String notFoundMessage) {
        HttpResponse<String> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofString(), idempotent);
        } catch (HttpTimeoutException e) {
            throw new RegistryException(Kind.UNREACHABLE, "MLflow at " + trackingUri + " did not answer within "
                    + timeout.toMillis() + " ms.", e);
        } catch (IOException e) {
            throw new RegistryException(HttpCalls.unreachable(e) ? Kind.UNREACHABLE : Kind.ERROR,
                    "Cannot reach MLflow at " + trackingUri + ": " + e.getClass().getSimpleName()
                            + (e.getMessage() != null ? " " + e.getMessage() : ""), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(Kind.UNREACHABLE, "Interrupted while asking MLflow at " + trackingUri, e);
        }
        int code = r.statusCode();
        if (code / 100 == 2) {
            try {
                return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
            } catch (IOException e) {
                throw new RegistryException(Kind.ERROR, "MLflow answered with malformed JSON: " + e.getMessage(), e);
            }
        }
        if (code == 401 || code == 403) {
            throw new RegistryException(Kind.ACCESS_DENIED, "MLflow at " + trackingUri + " refused access (" + code
                    + "). Check the credentials (spec.model.registry.credentialsSecret, MLFLOW_TRACKING_*).");
        }
        // MLflow answers a missing alias with 400 INVALID_PARAMETER_VALUE "... not found", not 404.
        if (code == 404 || (code == 400 && r.body().contains("not found"))
                || r.body().contains("RESOURCE_DOES_NOT_EXIST")) {
            throw new RegistryException(notFound, notFoundMessage);
        }
        throw new RegistryException(code == 502 || code == 503 || code == 504 ? Kind.UNREACHABLE : Kind.ERROR,
                "MLflow at " + trackingUri + " answered " + code + " to " + request.method() + " "
                        + request.uri().getPath() + ": " + r.body());
    }

    private static HttpRequest.BodyPublisher fileBody(Path file) {
        try {
            return HttpRequest.BodyPublishers.ofFile(file);
        } catch (java.io.FileNotFoundException e) {
            throw new RegistryException(Kind.ERROR, "no such file to upload: " + file, e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
