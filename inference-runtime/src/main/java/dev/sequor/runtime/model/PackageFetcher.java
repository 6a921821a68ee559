package dev.sequor.runtime.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Brings a model package to local disk: a path or file:// URI is used in place; https:// is
 * downloaded; models:/name/version, models:/name@alias, runs:/ and mlflow-artifacts:/ are read
 * through the MLflow tracking server's REST API and artifact proxy.
 */
public final class PackageFetcher {

    static final List<String> FILES = List.of("model.onnx", "metadata.json", "items.tsv");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path cacheDir;
    private final Optional<MlflowAccess> mlflow;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    /** The tracking server and its credentials (from MLFLOW_TRACKING_*). */
    public record MlflowAccess(String trackingUri, Optional<String> authorization) {
    }

    public PackageFetcher(Path cacheDir, Optional<MlflowAccess> mlflow) {
        this.cacheDir = cacheDir;
        this.mlflow = mlflow;
    }

    public Path fetch(String uri) {
        try {
            if (uri.startsWith("file:")) {
                return Path.of(URI.create(uri));
            }
            if (uri.startsWith("http://") || uri.startsWith("https://")) {
                return download(uri.replaceAll("/+$", ""), Optional.empty(), uri);
            }
            if (uri.startsWith("models:/")) {
                return fetch(modelVersionSource(uri));
            }
            if (uri.startsWith("runs:/")) {
                return fetch(runArtifact(uri));
            }
            if (uri.startsWith("mlflow-artifacts:/")) {
                MlflowAccess m = requireMlflow(uri);
                String path = uri.substring("mlflow-artifacts:".length()).replaceAll("^/+", "").replaceAll("/+$", "");
                return download(m.trackingUri() + "/api/2.0/mlflow-artifacts/artifacts/" + path, m.authorization(), uri);
            }
            if (!uri.contains(":/")) {
                return Path.of(uri);
            }
        } catch (IOException e) {
            throw new InvalidPackageException("cannot fetch " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidPackageException("interrupted while fetching " + uri, e);
        }
        throw new InvalidPackageException("unsupported model URI " + uri
                + " (use a path, file://, https://, models:/, runs:/ or mlflow-artifacts:/)");
    }

    private String modelVersionSource(String uri) throws IOException, InterruptedException {
        MlflowAccess m = requireMlflow(uri);
        String ref = uri.substring("models:/".length());
        String query;
        if (ref.contains("@")) {
            String[] parts = ref.split("@", 2);
            query = "registered-models/alias?name=" + enc(parts[0]) + "&alias=" + enc(parts[1]);
        } else {
            int slash = ref.lastIndexOf('/');
            if (slash <= 0) {
                throw new InvalidPackageException(uri + " should be models:/name/version or models:/name@alias");
            }
            query = "model-versions/get?name=" + enc(ref.substring(0, slash)) + "&version=" + enc(ref.substring(slash + 1));
        }
        JsonNode version = getJson(m, query).path("model_version");
        String source = version.path("source").asText("");
        if (source.isEmpty()) {
            throw new InvalidPackageException("MLflow has no source for " + uri);
        }
        return source;
    }

    private String runArtifact(String uri) throws IOException, InterruptedException {
        MlflowAccess m = requireMlflow(uri);
        String rest = uri.substring("runs:/".length());
        int slash = rest.indexOf('/');
        String runId = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        String artifactUri = getJson(m, "runs/get?run_id=" + enc(runId)).path("run").path("info")
                .path("artifact_uri").asText();
        return artifactUri + (path.isEmpty() ? "" : "/" + path);
    }

    private JsonNode getJson(MlflowAccess m, String query) throws IOException, InterruptedException {
        HttpRequest.Builder get = HttpRequest.newBuilder(URI.create(m.trackingUri() + "/api/2.0/mlflow/" + query))
                .timeout(Duration.ofSeconds(30));
        m.authorization().ifPresent(a -> get.header("Authorization", a));
        HttpResponse<String> r = http.send(get.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new InvalidPackageException("MLflow answered " + r.statusCode() + " to " + query + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Downloads the package files into a cache directory named after the URI, atomically. */
    private Path download(String base, Optional<String> authorization, String uri)
            throws IOException, InterruptedException {
        Path target = cacheDir.resolve(sha256(uri));
        if (Files.isDirectory(target)) {
            return target;
        }
        Files.createDirectories(cacheDir);
        Path partial = Files.createTempDirectory(cacheDir, ".partial-");
        for (String file : FILES) {
            HttpRequest.Builder get = HttpRequest.newBuilder(URI.create(base + "/" + file)).timeout(Duration.ofMinutes(5));
            authorization.ifPresent(a -> get.header("Authorization", a));
            HttpResponse<Path> r = http.send(get.build(), HttpResponse.BodyHandlers.ofFile(partial.resolve(file)));
            if (r.statusCode() != 200) {
                throw new InvalidPackageException("downloading " + base + "/" + file + " answered HTTP " + r.statusCode());
            }
        }
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
            // Another load fetched the same package first; use theirs.
        }
        return target;
    }

    private MlflowAccess requireMlflow(String uri) {
        return mlflow.orElseThrow(() -> new InvalidPackageException(uri + " is read through MLflow, but "
                + "MLFLOW_TRACKING_URI is not set"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
