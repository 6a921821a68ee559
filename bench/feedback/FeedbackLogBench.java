import dev.sequor.feedback.FeedbackEvent;
import dev.sequor.feedback.FeedbackLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Feedback events per second the embedded log sustains with every acknowledgement after fsync,
 * closed loop: each client appends and waits for its acknowledgement before the next. Prints a
 * Markdown table: clients, events/s, acknowledgement latency p50 / p99.
 */
public class FeedbackLogBench {

    public static void main(String[] args) throws Exception {
        Duration run = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 5);
        Path dir = Files.createTempDirectory(args.length > 1 ? Path.of(args[1]) : Path.of(System.getProperty("java.io.tmpdir")),
                "feedback-bench");
        System.out.println("| clients | events/s | ack p50 ms | ack p99 ms |");
        System.out.println("|---:|---:|---:|---:|");
        for (int clients : new int[] {1, 8, 64, 256}) {
            Path logDir = dir.resolve("c" + clients);
            try (FeedbackLog log = FeedbackLog.open(logDir, FeedbackLog.Settings.DEFAULT, Clock.systemUTC())) {
                AtomicBoolean running = new AtomicBoolean(true);
                ExecutorService pool = Executors.newFixedThreadPool(clients);
                List<Future<long[]>> results = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    int client = c;
                    results.add(pool.submit(() -> {
                        long[] latencies = new long[1 << 18];
                        int n = 0;
                        for (long i = 0; running.get(); i++) {
                            FeedbackEvent e = new FeedbackEvent(1, "c" + client + "-" + i, "rec-" + i, "user-" + client,
                                    "item-" + (i % 1000), "click", System.currentTimeMillis(), "bench", "1", "champion");
                            long start = System.nanoTime();
                            log.append(e.toBytes()).join();
                            if (n < latencies.length) {
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
                pool.shutdown();
                long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
                System.out.printf(Locale.ROOT, "| %d | %,.0f | %.2f | %.2f |%n", clients, merged.length / (double) run.toSeconds(),
                        merged[merged.length / 2] / 1e6, merged[(int) (merged.length * 0.99)] / 1e6);
            }
        }
    }
}
