package dev.sequor.testing;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The packaged inference runtime ({@code inference-runtime/target/quarkus-app}) as a real process
 * on loopback, configured by environment exactly as the operator configures a pod: a predictor
 * or a router. Its output goes to a log file, shown when it fails to start.
 */
public final class RuntimeProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final int httpPort;
    private final int grpcPort;
    private final Path log;

    private RuntimeProcess(String name, Process process, int httpPort, int grpcPort, Path log) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.grpcPort = grpcPort;
        this.log = log;
    }

    /** Starts the runtime with these environment variables (SEQUOR_*), on free ports; does not wait. */
    public static RuntimeProcess start(String name, Map<String, String> environment) throws IOException {
        Path jar = Path.of(System.getProperty("sequor.runtime.jar",
                Repo.root().resolve("inference-runtime/target/quarkus-app/quarkus-run.jar").toString()));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no packaged runtime at " + jar + ": run ./mvnw -pl inference-runtime package");
        }
        int http = Loopback.freePort();
        int grpc = Loopback.freePort();
        Path log = Files.createTempFile("sequor-" + name + "-", ".log");
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(http));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_GRPC_SERVER_PORT", Integer.toString(grpc));
        env.put("QUARKUS_GRPC_SERVER_HOST", "127.0.0.1");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new RuntimeProcess(name, builder.start(), http, grpc, log);
    }

    /** Waits until /q/health/ready answers 200; fails with the log's tail if it does not. */
    public RuntimeProcess awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(java.net.URI.create(url() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        boolean ok = Loopback.awaitOk(http, ready, timeout, 200, () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logTail());
            }
        });
        if (!ok) {
            throw new IllegalStateException(name + " not ready after " + timeout + ":\n" + logTail());
        }
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public String grpcTarget() {
        return "127.0.0.1:" + grpcPort;
    }

    public int grpcPort() {
        return grpcPort;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the process gets no chance to drain or deregister. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String logTail() {
        String text = Loopback.readLog(log);
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
