import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closed-loop HTTP load for the serving benchmark: N workers each send the next recommendation
 * request as soon as the last one is answered, for a fixed time, cycling through real user
 * histories. Prints one line per concurrency: requests/s, p50, p99, errors.
 * Written in Java (run as a single-file program) because the load needs a different history in
 * every request body and per-request latencies, for both servers alike.
 *
 *   java LoadGenerator.java URL HISTORIES_FILE SECONDS K CONCURRENCY...
 *
 * With SEQUOR_LOAD_USERS=N set, each body also carries a userId (one of N), as a router needs.
 */
public class LoadGenerator {

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        List<String> bodies = new ArrayList<>();
        int k = Integer.parseInt(args[3]);
        String users = System.getenv("SEQUOR_LOAD_USERS");
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            if (!line.isBlank()) {
                String ids = String.join(",", Arrays.stream(line.trim().split(",")).map(s -> "\"" + s + "\"").toList());
                String user = users == null ? "" : "\"userId\":\"user-" + bodies.size() % Integer.parseInt(users) + "\",";
                bodies.add("{" + user + "\"history\":[" + ids + "],\"k\":" + k + "}");
            }
        }
        int seconds = Integer.parseInt(args[2]);
        for (int i = 4; i < args.length; i++) {
            run(url, bodies, seconds, Integer.parseInt(args[i]));
        }
    }

    private static void run(URI url, List<String> bodies, int seconds, int concurrency) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            long[] mine = new long[2_000_000];
            int[] count = {0};
            latencies.add(mine);
            Thread t = new Thread(() -> {
                while (running.get()) {
                    String body = bodies.get(Math.floorMod(next.getAndIncrement(), bodies.size()));
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        long took = System.nanoTime() - start;
                        if (!measuring.get()) {
                            continue;
                        }
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                        } else if (count[0] < mine.length - 1) {
                            mine[count[0]++] = took;
                        }
                    } catch (Exception e) {
                        if (measuring.get()) {
                            errors.incrementAndGet();
                        }
                    }
                }
                mine[mine.length - 1] = count[0];
            });
            workers.add(t);
            t.start();
        }
        Thread.sleep(2000);
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        double elapsed = (System.nanoTime() - start) / 1e9;
        running.set(false);
        for (Thread t : workers) {
            t.join();
        }
        List<Long> all = new ArrayList<>();
        for (long[] l : latencies) {
            int n = (int) l[l.length - 1];
            for (int i = 0; i < n; i++) {
                all.add(l[i]);
            }
        }
        all.sort(null);
        double p50 = all.isEmpty() ? 0 : all.get(all.size() / 2) / 1e6;
        double p99 = all.isEmpty() ? 0 : all.get(Math.min(all.size() - 1, (int) (all.size() * 0.99))) / 1e6;
        System.out.printf(Locale.ROOT, "concurrency %3d  %8.1f req/s  p50 %7.2f ms  p99 %7.2f ms  errors %d%n",
                concurrency, all.size() / elapsed, p50, p99, errors.get());
    }
}
