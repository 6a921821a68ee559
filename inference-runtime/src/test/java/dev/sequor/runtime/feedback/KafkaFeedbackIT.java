package dev.sequor.runtime.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequor.contract.RuntimeContract;
import dev.sequor.feedback.FeedbackEvent;
import dev.sequor.feedback.FeedbackSnapshot;
import dev.sequor.feedback.KafkaFeedbackReader;
import dev.sequor.testing.GoldenPackages;
import dev.sequor.testing.KafkaBroker;
import dev.sequor.testing.RuntimeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The packaged runtime with feedback into a real Kafka broker, under a steady feedback load and
 * recommendation traffic, while the broker is killed with SIGKILL and restarted: feedback is
 * answered 503 with Retry-After while the broker is away (never 500), recommendations are not
 * affected, and every event answered 202 is in the topic afterwards.
 */
class KafkaFeedbackIT {

    private static final Duration START = Duration.ofSeconds(90);
    private static final String TOPIC = "sequor-feedback.it.synthetic";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void everyAcknowledgedEventSurvivesABrokerKillAndServingCarriesOn() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start();
                RuntimeProcess runtime = RuntimeProcess.start("feedback-kafka", Map.of(RuntimeContract.MODEL_NAME,
                        "synthetic", RuntimeContract.MODEL_VERSION, "1", RuntimeContract.MODEL_URI,
                        GoldenPackages.version(1).toUri().toString(),
                        RuntimeContract.FEEDBACK_KAFKA_BOOTSTRAP_SERVERS, broker.bootstrapServers(),
                        RuntimeContract.FEEDBACK_KAFKA_TOPIC, TOPIC,
                        "SEQUOR_FEEDBACK_KAFKA_DELIVERY_TIMEOUT", "4s")).awaitReady(START)) {
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            Map<Integer, AtomicLong> feedbackAnswers = new ConcurrentHashMap<>();
            AtomicLong withoutRetryAfter = new AtomicLong();
            AtomicLong recommendations = new AtomicLong();
            AtomicLong recommendationErrors = new AtomicLong();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(9);
            List<Future<?>> loops = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int client = c;
                loops.add(clients.submit(() -> {
                    for (int i = 0; running.get(); i++) {
                        String id = "c" + client + "-" + i;
                        HttpResponse<String> r = post(runtime, "/v1/feedback", "{\"userId\":\"u-" + client
                                + "\",\"itemId\":\"item-3\",\"event\":\"click\",\"eventId\":\"" + id + "\"}");
                        feedbackAnswers.computeIfAbsent(r.statusCode(), s -> new AtomicLong()).incrementAndGet();
                        if (r.statusCode() == 202) {
                            acknowledged.add(id);
                        } else if (r.headers().firstValue("Retry-After").isEmpty()) {
                            withoutRetryAfter.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            loops.add(clients.submit(() -> {
                while (running.get()) {
                    HttpResponse<String> r = post(runtime, "/v1/recommendations",
                            "{\"userId\":\"u-r\",\"history\":[\"item-3\",\"item-5\"],\"k\":5}");
                    recommendations.incrementAndGet();
                    if (r.statusCode() != 200) {
                        recommendationErrors.incrementAndGet();
                    }
                }
                return null;
            }));
            Awaitility.await().atMost(START).until(() -> acknowledged.size() >= 1_000);
            broker.kill();
            long refusedBefore = refused(feedbackAnswers);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> refused(feedbackAnswers) > refusedBefore);
            long servedDuringOutage = recommendations.get();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> recommendations.get() > servedDuringOutage + 100);
            broker.restart();
            long atRestart = acknowledged.size();
            Awaitility.await().atMost(START).until(() -> acknowledged.size() >= atRestart + 1_000);
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get();
            }
            clients.shutdown();

            FeedbackSnapshot snapshot = KafkaFeedbackReader.snapshot(broker.bootstrapServers(), TOPIC, Map.of(),
                    Duration.ofSeconds(30));
            Map<String, Integer> stored = new HashMap<>();
            snapshot.streams().values().forEach(records -> records.forEach(
                    r -> stored.merge(FeedbackEvent.parse(r.payload()).eventId(), 1, Integer::sum)));
            Set<String> lost = new HashSet<>(acknowledged);
            lost.removeAll(stored.keySet());
            assertThat(lost).as("events answered 202 and missing after the broker's kill -9").isEmpty();
            assertThat(feedbackAnswers.keySet()).as("feedback answers: 202, or 503 while the broker was away")
                    .containsOnly(202, 503);
            assertThat(withoutRetryAfter.get()).as("503s without Retry-After").isZero();
            assertThat(recommendationErrors.get()).as("recommendations failed while feedback could not be stored").isZero();
            System.out.printf("runtime kafka crash test: %d answered 202, %d answered 503, %d records in the topic "
                    + "(%d events more than once), %d recommendations served, none failed%n", acknowledged.size(),
                    refused(feedbackAnswers), snapshot.records(), stored.values().stream().filter(n -> n > 1).count(),
                    recommendations.get());
        }
    }

    private static long refused(Map<Integer, AtomicLong> answers) {
        AtomicLong n = answers.get(503);
        return n == null ? 0 : n.get();
    }

    private HttpResponse<String> post(RuntimeProcess runtime, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(runtime.url() + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
