package dev.sequor.runtime.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequor.contract.RuntimeContract;
import dev.sequor.feedback.FeedbackEvent;
import dev.sequor.feedback.FeedbackLog;
import dev.sequor.testing.GoldenPackages;
import dev.sequor.testing.RuntimeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The packaged runtime holding a feedback log, under a steady feedback load over HTTP, killed
 * with SIGKILL: every event it answered 202 is in the log when it comes back, and it carries on.
 */
class DurableFeedbackIT {

    private static final Duration START = Duration.ofSeconds(90);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void everyAcknowledgedEventSurvivesAKillOfTheRuntime() throws Exception {
        Path logDir = Files.createTempDirectory("sequor-feedback-it");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        RuntimeProcess runtime = start(logDir);
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<?>> loops = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            int client = c;
            loops.add(clients.submit(() -> {
                for (int i = 0; running.get(); i++) {
                    String id = "c" + client + "-" + i;
                    try {
                        HttpResponse<String> r = post(runtime, id);
                        if (r.statusCode() == 202) {
                            acknowledged.add(id);
                        }
                    } catch (Exception e) {
                        // The kill: connections fail; unacknowledged events may or may not be stored.
                    }
                }
            }));
        }
        Awaitility.await().atMost(START).until(() -> acknowledged.size() >= 2_000);
        runtime.kill();
        running.set(false);
        for (Future<?> loop : loops) {
            loop.get();
        }
        clients.shutdown();

        RuntimeProcess restarted = start(logDir);
        try {
            HttpResponse<String> after = post(restarted, "after-restart");
            assertThat(after.statusCode()).as(after.body()).isEqualTo(202);
            Set<String> stored = new HashSet<>();
            FeedbackLog.readOnly(logDir).forEach(r -> stored.add(FeedbackEvent.parse(r.payload()).eventId()));
            Set<String> lost = new HashSet<>(acknowledged);
            lost.removeAll(stored);
            assertThat(lost).as("events answered 202 and missing after kill -9").isEmpty();
            assertThat(stored).contains("after-restart");
            System.out.printf("runtime crash test: %d answered 202 before the kill, %d stored%n", acknowledged.size(),
                    stored.size() - 1);
        } finally {
            restarted.close();
        }
    }

    private static RuntimeProcess start(Path logDir) throws Exception {
        return RuntimeProcess.start("feedback-log", Map.of(RuntimeContract.MODEL_NAME, "synthetic",
                RuntimeContract.MODEL_VERSION, "1", RuntimeContract.MODEL_URI, GoldenPackages.version(1).toUri().toString(),
                RuntimeContract.FEEDBACK_LOG_DIR, logDir.toString())).awaitReady(START);
    }

    private HttpResponse<String> post(RuntimeProcess runtime, String eventId) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(runtime.url() + "/v1/feedback"))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"u-" + eventId + "\",\"itemId\":\"item-3\","
                        + "\"event\":\"click\",\"eventId\":\"" + eventId + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
