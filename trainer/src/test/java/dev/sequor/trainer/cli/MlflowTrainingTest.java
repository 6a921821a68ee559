package dev.sequor.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequor.testing.MlflowServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Training into a real MLflow tracking server: run, metrics, artifacts through the proxy, registration. */
class MlflowTrainingTest {

    private static MlflowServer mlflow;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() {
        mlflow = MlflowServer.start();
    }

    @AfterAll
    static void stop() {
        if (mlflow != null) {
            mlflow.close();
        }
    }

    @Test
    void runIsLoggedPackageUploadedAndVersionRegisteredUnderTheAlias() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Train.run(new String[] {"--synthetic", "--users", "200", "--mlflow", mlflow.uri(),
            "--model-name", "synthetic-sasrec", "--alias", "champion", "--epochs", "4", "--eval-every", "2",
            "--hidden", "16", "--max-length", "12"}, new PrintStream(out, true), new PrintStream(err, true), false);
        assertThat(code).as(err.toString()).isZero();

        JsonNode alias = get("/api/2.0/mlflow/registered-models/alias?name=synthetic-sasrec&alias=champion")
                .path("model_version");
        assertThat(alias.path("version").asText()).isEqualTo("1");
        assertThat(alias.path("source").asText()).startsWith("mlflow-artifacts:/").endsWith("/artifacts/model");
        assertThat(alias.path("tags").toString()).contains("sequor.data_fingerprint");

        JsonNode run = get("/api/2.0/mlflow/runs/get?run_id=" + alias.path("run_id").asText()).path("run");
        assertThat(run.path("info").path("status").asText()).isEqualTo("FINISHED");
        assertThat(run.path("data").path("metrics").toString()).contains("valid_ndcg10_full").contains("train_loss")
                .contains("test_ndcg10_full");
        assertThat(run.path("data").path("params").toString()).contains("\"hidden\"");

        JsonNode history = get("/api/2.0/mlflow/metrics/get-history?run_id=" + alias.path("run_id").asText()
                + "&metric_key=train_loss").path("metrics");
        assertThat(history).hasSize(4);

        String artifacts = alias.path("source").asText().substring("mlflow-artifacts:/".length());
        HttpResponse<byte[]> onnx = http.send(HttpRequest.newBuilder(URI.create(mlflow.uri()
                + "/api/2.0/mlflow-artifacts/artifacts/" + artifacts + "/model.onnx")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(onnx.statusCode()).isEqualTo(200);
        assertThat(onnx.body().length).isGreaterThan(1000);
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(mlflow.uri() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }
}
