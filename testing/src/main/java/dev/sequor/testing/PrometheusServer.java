package dev.sequor.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Prometheus server on a free loopback port (built by scripts/prometheus.sh), scraping the
 * given {@code host:port} targets' {@code /q/metrics} every second, with a throwaway TSDB.
 * Queries go through its HTTP API, as the operator's analysis and Grafana use it.
 */
public final class PrometheusServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> command;
    private final String url;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    private PrometheusServer(List<String> command, String url, Path log) {
        this.command = command;
        this.url = url;
        this.log = log;
    }

    /** Starts Prometheus scraping these targets (job {@code sequor}) and waits until it is ready. */
    public static PrometheusServer start(List<String> targets) {
        try {
            Path prometheus = Path.of(Repo.runScript("scripts/prometheus.sh").trim());
            Path work = Files.createTempDirectory("sequor-prometheus");
            Path config = work.resolve("prometheus.yml");
            Files.writeString(config, """
                    global: {scrape_interval: 1s, evaluation_interval: 1s}
                    scrape_configs:
                      - job_name: sequor
                        metrics_path: /q/metrics
                        static_configs:
                          - targets: [%s]
                    """.formatted(targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", "))));
            int port = Loopback.freePort();
            Path log = work.resolve("prometheus.log");
            PrometheusServer server = new PrometheusServer(List.of(prometheus.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + work.resolve("data"), "--web.listen-address=127.0.0.1:" + port),
                    "http://127.0.0.1:" + port, log);
            server.run();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void run() throws IOException {
        Process started = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        process = started;
        if (!Loopback.awaitOk(http, HttpRequest.newBuilder(URI.create(url + "/-/ready"))
                .timeout(Duration.ofSeconds(2)).build(), START_TIMEOUT, 200, () -> {
                    if (!started.isAlive()) {
                        throw new IllegalStateException("Prometheus exited early:\n" + readLog());
                    }
                })) {
            close();
            throw new IllegalStateException("Prometheus not ready after " + START_TIMEOUT + ":\n" + readLog());
        }
    }

    /** Stops the server (as an outage would); {@link #restart()} brings it back on the same port and data. */
    public void stop() {
        close();
    }

    public void restart() {
        try {
            run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return url;
    }

    /**
     * An instant query: the API's whole answer ({@code status}, {@code data} or {@code errorType}
     * and {@code error}). A malformed expression is {@code status: error, errorType: bad_data}.
     */
    public JsonNode query(String promql) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/query?query="
                    + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String readLog() {
        return Loopback.readLog(log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
