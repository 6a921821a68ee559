import com.sun.management.OperatingSystemMXBean;
import dev.sequor.feedback.FeedbackEvent;
import dev.sequor.feedback.FeedbackLog;
import dev.sequor.feedback.FeedbackSink;
import dev.sequor.feedback.KafkaFeedbackSink;
import dev.sequor.testing.GoldenPackages;
import dev.sequor.testing.KafkaBroker;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Feedback throughput with durability on, closed loop (each client waits for its acknowledgement
 * before the next event), in one run:
 * <ol>
 * <li>the two sinks in-process, side by side: the embedded log (fsync, group commit) and Kafka
 * (a real KRaft broker on loopback, acks=all, idempotent producer);</li>
 * <li>the HTTP endpoint ({@code POST /v1/feedback}) of the packaged runtime with no sink (counted
 * only), the log, and Kafka: what a service posting feedback sees.</li>
 * </ol>
 * Prints Markdown tables. Usage: {@code FeedbackBench [seconds per row] [directory for the log]}.
 */
public class FeedbackBench {

    private static Duration run;
    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    record Row(double perSecond, double p50, double p99, long failed, double loadCpu) {
    }

    public static void main(String[] args) throws Exception {
        run = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 5);
        Path dir = Files.createTempDirectory(args.length > 1 ? Path.of(args[1]) : Path.of(System.getProperty("java.io.tmpdir")),
                "feedback-bench");
        try (KafkaBroker broker = KafkaBroker.start()) {
            System.out.println("Sinks in-process (events/s; acknowledgement latency in ms)");
            System.out.println();
            System.out.println("| clients | log events/s | log p50 | log p99 | Kafka events/s | Kafka p50 | Kafka p99 | Kafka / log |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
            for (int clients : new int[] {1, 8, 64, 256}) {
                Row log;
                try (FeedbackLog sink = FeedbackLog.open(dir.resolve("log-c" + clients), FeedbackLog.Settings.DEFAULT,
                        Clock.systemUTC())) {
                    log = closedLoop(clients, client -> () -> {
                        sink.store(event(client)).join();
                        return true;
                    });
                }
                Row kafka;
                try (KafkaFeedbackSink sink = KafkaFeedbackSink.open(KafkaFeedbackSink.Settings.of(broker.bootstrapServers(),
                        "bench-sink-c" + clients))) {
                    sink.store(event(0)).join(); // the topic's metadata, before the clock starts
                    kafka = closedLoop(clients, client -> () -> {
                        sink.store(event(client)).join();
                        return true;
                    });
                }
                System.out.printf(Locale.ROOT, "| %d | %,.0f | %.2f | %.2f | %,.0f | %.2f | %.2f | %.2f |%n", clients,
                        log.perSecond(), log.p50(), log.p99(), kafka.perSecond(), kafka.p50(), kafka.p99(),
                        kafka.perSecond() / log.perSecond());
            }

            System.out.println();
            System.out.println("The runtime's feedback endpoint (POST /v1/feedback; 202 once durable; ms)");
            System.out.println();
            System.out.println("| sink | clients | events/s | p50 | p99 | not 202 | load generator CPU |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|");
            Map<String, Map<String, String>> sinks = new java.util.LinkedHashMap<>();
            sinks.put("none (counted only)", Map.of());
            sinks.put("log (fsync)", Map.of("SEQUOR_FEEDBACK_LOG_DIR", dir.resolve("endpoint-log").toString()));
            sinks.put("Kafka (acks=all)", Map.of("SEQUOR_FEEDBACK_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "SEQUOR_FEEDBACK_KAFKA_TOPIC", "bench-endpoint"));
            for (var sink : sinks.entrySet()) {
                Process runtime = startRuntime(sink.getValue(), dir.resolve("runtime.log"));
                try {
                    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                    String url = "http://127.0.0.1:" + PORT + "/v1/feedback";
                    Supplier<Row> load = () -> closedLoop(64, client -> () -> post(http, url, client));
                    // JIT warm-up of the runtime and of this load generator, not counted.
                    load.get();
                    load.get();
                    load.get();
                    for (int clients : new int[] {8, 64}) {
                        Row r = closedLoop(clients, client -> () -> post(http, url, client));
                        System.out.printf(Locale.ROOT, "| %s | %d | %,.0f | %.2f | %.2f | %d | %.0f%% |%n", sink.getKey(),
                                clients, r.perSecond(), r.p50(), r.p99(), r.failed(), 100 * r.loadCpu());
                    }
                } finally {
                    runtime.destroy();
                    runtime.waitFor();
                }
            }
        }
        System.out.println();
        System.out.printf("%d cores; load generator CPU is the share of the machine this process used.%n",
                Runtime.getRuntime().availableProcessors());
    }

    private static final int PORT = 18480;

    private static Process startRuntime(Map<String, String> sink, Path log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-jar", "inference-runtime/target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("SEQUOR_MODEL_NAME", "bench", "SEQUOR_MODEL_VERSION", "1",
                "SEQUOR_MODEL_URI", GoldenPackages.version(1).toUri().toString(), "QUARKUS_HTTP_PORT", Integer.toString(PORT),
                "QUARKUS_HTTP_HOST", "127.0.0.1", "QUARKUS_GRPC_SERVER_PORT", Integer.toString(PORT + 1),
                "QUARKUS_LOG_LEVEL", "WARN"));
        builder.environment().putAll(sink);
        Process p = builder.start();
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 600; i++) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return p;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("the runtime exited:\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the runtime did not get ready:\n" + Files.readString(log));
    }

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private static FeedbackEvent event(int client) {
        long i = SEQUENCE.incrementAndGet();
        return new FeedbackEvent(1, "e-" + i, "rec-" + i, "user-" + client, "item-" + (i % 1000), "click",
                System.currentTimeMillis(), "bench", "1", "champion");
    }

    private static boolean post(HttpClient http, String url, int client) throws Exception {
        long i = SEQUENCE.incrementAndGet();
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"userId\":\"user-" + client + "\",\"itemId\":\"item-" + (i % 1000)
                                + "\",\"event\":\"click\",\"eventId\":\"e-" + i + "\"}")).build(),
                HttpResponse.BodyHandlers.discarding());
        return r.statusCode() == 202;
    }

    /** Runs {@code clients} closed loops for the row's time; each call returns whether it was acknowledged. */
    private static Row closedLoop(int clients, java.util.function.IntFunction<Callable<Boolean>> call) {
        try {
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong failed = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<long[]>> results = new ArrayList<>();
            long cpuStart = OS.getProcessCpuTime();
            long wallStart = System.nanoTime();
            for (int c = 0; c < clients; c++) {
                Callable<Boolean> one = call.apply(c);
                results.add(pool.submit(() -> {
                    long[] latencies = new long[1 << 18];
                    int n = 0;
                    while (running.get()) {
                        long start = System.nanoTime();
                        if (!one.call()) {
                            failed.incrementAndGet();
                        } else if (n < latencies.length) {
                            latencies[n++] = System.nanoTime() - start;
                        }
                    }
                    return Arrays.copyOf(latencies, n);
                }));
            }
            Thread.sleep(run.toMillis());
            running.set(false);
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> f : results) {
                all.add(f.get());
            }
            double wall = (System.nanoTime() - wallStart) / 1e9;
            double cpu = (OS.getProcessCpuTime() - cpuStart) / 1e9 / wall / Runtime.getRuntime().availableProcessors();
            pool.shutdown();
            long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            if (merged.length == 0) {
                return new Row(0, Double.NaN, Double.NaN, failed.get(), cpu);
            }
            return new Row(merged.length / wall, merged[merged.length / 2] / 1e6,
                    merged[(int) (merged.length * 0.99)] / 1e6, failed.get(), cpu);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
