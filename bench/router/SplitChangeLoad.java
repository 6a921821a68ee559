import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A weight change under closed-loop load: N workers send recommendation requests through the
 * router, every request from a new user key, while the split file is replaced mid-run (as the
 * kubelet swaps a mounted ConfigMap). Prints failed requests and, before and after the change,
 * the share of requests each variant answered (from the X-Sequor-Variant header).
 *
 *   java SplitChangeLoad.java URL HISTORIES_FILE CONCURRENCY SECONDS_BEFORE SECONDS_AFTER SPLIT_FILE NEW_SPLIT_FILE
 */
public class SplitChangeLoad {

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        List<String> histories = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            if (!line.isBlank()) {
                histories.add(String.join(",", Arrays.stream(line.trim().split(",")).map(s -> "\"" + s + "\"").toList()));
            }
        }
        int concurrency = Integer.parseInt(args[2]);
        int before = Integer.parseInt(args[3]);
        int after = Integer.parseInt(args[4]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<Map<String, AtomicLong>> phase = new AtomicReference<>(new ConcurrentHashMap<>());
        AtomicInteger failures = new AtomicInteger();
        AtomicLong requests = new AtomicLong();
        AtomicLong userCounter = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            Thread t = new Thread(() -> {
                while (running.get()) {
                    long n = userCounter.getAndIncrement();
                    String body = "{\"userId\":\"load-user-" + n + "\",\"history\":[" + histories.get((int) (n % histories.size()))
                            + "],\"k\":10}";
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(), HttpResponse.BodyHandlers.discarding());
                        requests.incrementAndGet();
                        if (r.statusCode() != 200) {
                            failures.incrementAndGet();
                        } else {
                            String variant = r.headers().firstValue("X-Sequor-Variant").orElse("(none)");
                            phase.get().computeIfAbsent(variant, v -> new AtomicLong()).incrementAndGet();
                        }
                    } catch (Exception e) {
                        requests.incrementAndGet();
                        failures.incrementAndGet();
                    }
                }
            });
            workers.add(t);
            t.start();
        }
        Thread.sleep(2000);
        phase.set(new ConcurrentHashMap<>());
        Thread.sleep(before * 1000L);
        Map<String, AtomicLong> beforeChange = phase.getAndSet(new ConcurrentHashMap<>());
        Path tmp = Path.of(args[5] + ".tmp");
        Files.copy(Path.of(args[6]), tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, Path.of(args[5]), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Thread.sleep(2000); // the router re-reads the file within a second
        phase.set(new ConcurrentHashMap<>());
        Thread.sleep(after * 1000L);
        Map<String, AtomicLong> afterChange = phase.get();
        running.set(false);
        for (Thread t : workers) {
            t.join();
        }
        System.out.printf(Locale.ROOT, "requests %d  failed %d%n", requests.get(), failures.get());
        System.out.println("before the change: " + shares(beforeChange));
        System.out.println("after the change:  " + shares(afterChange));
    }

    private static String shares(Map<String, AtomicLong> counts) {
        long total = counts.values().stream().mapToLong(AtomicLong::get).sum();
        StringBuilder s = new StringBuilder();
        counts.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> s.append(String.format(Locale.ROOT,
                "%s %.2f%% (%d)  ", e.getKey(), 100.0 * e.getValue().get() / total, e.getValue().get())));
        return s.toString().trim();
    }
}
