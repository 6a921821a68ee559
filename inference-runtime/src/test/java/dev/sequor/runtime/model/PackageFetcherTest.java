package dev.sequor.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sequor.modelpackage.InvalidPackageException;
import dev.sequor.modelpackage.ModelPackage;
import dev.sequor.modelpackage.mlflow.MlflowCredentials;
import dev.sequor.modelpackage.mlflow.MlflowRegistry;
import dev.sequor.runtime.TrainedModels;
import dev.sequor.runtime.inference.OnnxRecommender;
import dev.sequor.testing.MlflowServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packages reach the runtime from disk, over HTTP, and from a real MLflow registry. */
class PackageFetcherTest {

    @TempDir
    Path cache;

    @Test
    void pathAndFileUriAreUsedInPlace() {
        Path dir = TrainedModels.version(1);
        PackageFetcher fetcher = new PackageFetcher(cache, Optional.empty());
        assertThat(fetcher.fetch(dir.toString())).isEqualTo(dir);
        assertThat(fetcher.fetch(dir.toUri().toString())).isEqualTo(dir);
    }

    @Test
    void httpPackageIsDownloadedAndServable() throws Exception {
        Path dir = TrainedModels.version(1);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/models/demo/", exchange -> {
            Path file = dir.resolve(exchange.getRequestURI().getPath().substring("/models/demo/".length()));
            if (Files.isRegularFile(file)) {
                byte[] body = Files.readAllBytes(file);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            Path fetched = new PackageFetcher(cache, Optional.empty()).fetch(base + "/models/demo/");
            assertThat(fetched.resolve("model.onnx")).hasSameBinaryContentAs(dir.resolve("model.onnx"));
            servable(fetched);
            assertThatThrownBy(() -> new PackageFetcher(cache, Optional.empty()).fetch(base + "/models/missing"))
                    .isInstanceOf(InvalidPackageException.class).hasMessageContaining("HTTP 404");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void mlflowAliasVersionAndRunUrisResolveThroughTheTrackingServer() throws Exception {
        try (MlflowServer mlflow = MlflowServer.start()) {
            // As a training Job publishes: a run's artifacts through the proxy, a version, an alias.
            MlflowRegistry registry = new MlflowRegistry(mlflow.uri(), MlflowCredentials.NONE, Duration.ofSeconds(20));
            JsonNode run = new ObjectMapper().readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(mlflow.uri() + "/api/2.0/mlflow/runs/create")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"experiment_id\": \"0\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).path("run").path("info");
            String runId = run.path("run_id").asText();
            for (String file : new String[] {"model.onnx", "metadata.json", "items.tsv"}) {
                registry.uploadArtifact(run.path("artifact_uri").asText(), "model/" + file,
                        TrainedModels.version(1).resolve(file));
            }
            String version = registry.createVersion("synthetic-sasrec", run.path("artifact_uri").asText() + "/model",
                    runId, Map.of()).version();
            registry.setAlias("synthetic-sasrec", "champion", version);
            PackageFetcher fetcher = new PackageFetcher(cache, Optional.of(registry));

            Path byAlias = fetcher.fetch("models:/synthetic-sasrec@champion");
            servable(byAlias);
            assertThat(byAlias.resolve("model.onnx")).hasSameBinaryContentAs(TrainedModels.version(1).resolve("model.onnx"));
            assertThat(fetcher.fetch("models:/synthetic-sasrec/" + version).resolve("items.tsv"))
                    .hasSameTextualContentAs(byAlias.resolve("items.tsv"));
            assertThat(fetcher.fetch("runs:/" + runId + "/model").resolve("model.onnx"))
                    .hasSameBinaryContentAs(byAlias.resolve("model.onnx"));
            assertThatThrownBy(() -> fetcher.fetch("models:/synthetic-sasrec@challenger"))
                    .isInstanceOf(InvalidPackageException.class).hasMessageContaining("has no alias 'challenger'");
            // A failed download leaves nothing in the cache: no partial package to be served later.
            assertThatThrownBy(() -> fetcher.fetch("mlflow-artifacts:/0/nothing-here/artifacts/model"))
                    .isInstanceOf(InvalidPackageException.class);
            try (var left = Files.list(cache)) {
                assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".partial"));
            }
        }
    }

    @Test
    void mlflowUriWithoutTrackingServerIsExplained() {
        assertThatThrownBy(() -> new PackageFetcher(cache, Optional.empty()).fetch("models:/m/1"))
                .isInstanceOf(InvalidPackageException.class).hasMessageContaining("MLFLOW_TRACKING_URI is not set");
        assertThatThrownBy(() -> new PackageFetcher(cache, Optional.empty()).fetch("s3://bucket/model"))
                .hasMessageContaining("unsupported model URI");
    }

    @Test
    void brokenPackagesAreRejectedWithTheReason() throws Exception {
        Path dir = Files.createDirectories(cache.resolve("broken"));
        for (String f : new String[] {"model.onnx", "metadata.json", "items.tsv"}) {
            Files.copy(TrainedModels.version(1).resolve(f), dir.resolve(f));
        }
        Files.writeString(dir.resolve("items.tsv"), "1\titem-1\n");
        assertThatThrownBy(() -> ModelPackage.load(dir)).hasMessageContaining("items.tsv has 1 items but metadata.json says itemCount 100");
        Files.delete(dir.resolve("model.onnx"));
        assertThatThrownBy(() -> ModelPackage.load(dir)).hasMessageContaining("has no model.onnx");
    }

    private static void servable(Path dir) {
        try (OnnxRecommender r = new OnnxRecommender(ModelPackage.load(dir), 1, false)) {
            r.verifyAndWarmUp();
            assertThat(r.provider()).isEqualTo("CPU");
        }
    }
}
