package dev.sequor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real MLflow tracking server on a free loopback port, with a SQLite store and served
 * artifacts. Installed from PyPI into a cached virtual environment by scripts/mlflow-venv.sh.
 */
public final class MlflowServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Process process;
    private final String uri;
    private final Path log;

    private MlflowServer(Process process, String uri, Path log) {
        this.process = process;
        this.uri = uri;
        this.log = log;
    }

    public static MlflowServer start() {
        try {
            Path mlflow = Path.of(Repo.runScript("scripts/mlflow-venv.sh").trim());
            Path work = Files.createTempDirectory("sequor-mlflow");
            int port = Loopback.freePort();
            Path log = work.resolve("server.log");
            Process process = new ProcessBuilder(mlflow.toString(), "server",
                    "--host", "127.0.0.1", "--port", Integer.toString(port),
                    "--backend-store-uri", "sqlite:///" + work.resolve("mlflow.db"),
                    "--artifacts-destination", work.resolve("artifacts").toString(),
                    "--serve-artifacts", "--workers", "1")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            MlflowServer server = new MlflowServer(process, "http://127.0.0.1:" + port, log);
            server.awaitHealthy();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String uri() {
        return uri;
    }

    private void awaitHealthy() throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        boolean healthy = Loopback.awaitOk(http, HttpRequest.newBuilder(URI.create(uri + "/health"))
                .timeout(Duration.ofSeconds(2)).build(), START_TIMEOUT, 500, () -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("MLflow server exited early:\n" + readLog());
                    }
                });
        if (healthy) {
            return;
        }
        close();
        throw new IllegalStateException("MLflow server not healthy after " + START_TIMEOUT + ":\n" + Files.readString(log));
    }

    private String readLog() {
        return Loopback.readLog(log);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
