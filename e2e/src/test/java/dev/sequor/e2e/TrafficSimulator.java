package dev.sequor.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * Users of a recommender, closed loop: each asks the router for recommendations, and clicks the
 * first item it was shown with a probability that depends on the version that served it, posting
 * the click as feedback. Every answer that is not a success, and every exception, is a failed
 * client request, kept with its time.
 */
final class TrafficSimulator implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> HISTORY = List.of("item-3", "item-7");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String router;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService threads;
    private final List<Future<?>> loops = new ArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> answeredByVersion = new ConcurrentHashMap<>();
    private final AtomicLong answered = new AtomicLong();
    private volatile ToDoubleFunction<String> clickProbability;

    /**
     * @param clickProbability the chance that a user clicks the first item, by the version that served
     */
    TrafficSimulator(String router, int users, long seed, ToDoubleFunction<String> clickProbability) {
        this.router = router;
        this.clickProbability = clickProbability;
        this.threads = Executors.newFixedThreadPool(users);
        for (int t = 0; t < users; t++) {
            Random random = new Random(seed + t);
            loops.add(threads.submit(() -> run(random)));
        }
    }

    void clickProbability(ToDoubleFunction<String> probability) {
        this.clickProbability = probability;
    }

    private void run(Random random) {
        while (running.get()) {
            String user = "user-" + random.nextInt(20_000);
            try {
                HttpResponse<String> r = post("/v1/recommendations", Map.of("userId", user, "history", HISTORY, "k", 5));
                if (r.statusCode() != 200) {
                    failures.add(System.currentTimeMillis() + " recommendations " + r.statusCode() + " " + r.body());
                    continue;
                }
                JsonNode body = JSON.readTree(r.body());
                String version = body.path("version").asText();
                answered.incrementAndGet();
                answeredByVersion.computeIfAbsent(version, v -> new AtomicLong()).incrementAndGet();
                if (random.nextDouble() < clickProbability.applyAsDouble(version)) {
                    HttpResponse<String> f = post("/v1/feedback", Map.of("recommendationId", body.path("id").asText(),
                            "userId", user, "itemId", body.path("items").path(0).path("id").asText(), "event", "click"));
                    if (f.statusCode() / 100 != 2) {
                        failures.add(System.currentTimeMillis() + " feedback " + f.statusCode() + " " + f.body());
                    }
                }
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                failures.add(System.currentTimeMillis() + " " + e);
            }
        }
    }

    private HttpResponse<String> post(String path, Map<String, Object> body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(router + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    List<String> failures() {
        return failures;
    }

    long answered() {
        return answered.get();
    }

    long answeredBy(String version) {
        AtomicLong n = answeredByVersion.get(version);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() throws Exception {
        running.set(false);
        for (Future<?> loop : loops) {
            loop.get();
        }
        threads.shutdown();
    }
}
