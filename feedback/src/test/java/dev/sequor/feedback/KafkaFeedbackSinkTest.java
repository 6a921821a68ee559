package dev.sequor.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sequor.testing.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Kafka sink against a real broker (KRaft, on loopback): acknowledgements, a broker kill -9, an outage. */
class KafkaFeedbackSinkTest {

    private static final Duration DELIVERY = Duration.ofSeconds(4);
    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static FeedbackEvent event(String user, String item, long time) {
        return new FeedbackEvent(FeedbackEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), null, user, item, "click",
                time, "games", "1", "champion");
    }

    private static KafkaFeedbackSink open(String topic, int maxPending) {
        return KafkaFeedbackSink.open(new KafkaFeedbackSink.Settings(broker.bootstrapServers(), topic, maxPending,
                DELIVERY, Map.of()));
    }

    private static FeedbackSnapshot snapshot(String topic) {
        return KafkaFeedbackReader.snapshot(broker.bootstrapServers(), topic, Map.of(), Duration.ofSeconds(30));
    }

    @Test
    void acknowledgedEventsAreInTheTopicEachUsersInOrder() {
        String topic = "sequor-feedback.test.ordered";
        List<FeedbackEvent> sent = new ArrayList<>();
        try (KafkaFeedbackSink sink = open(topic, 1_000)) {
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                FeedbackEvent e = event("u" + (i % 7), "i" + i, 1_000 + i);
                sent.add(e);
                acks.add(sink.store(e));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
        }
        FeedbackSnapshot snapshot = snapshot(topic);
        assertThat(snapshot.streams()).as("partitions: the broker's default of 3").hasSize(3);
        assertThat(snapshot.records()).isEqualTo(300);
        Map<String, List<String>> itemsByUser = new HashMap<>();
        snapshot.streams().values().forEach(records -> records.forEach(r -> {
            FeedbackEvent e = FeedbackEvent.parse(r.payload());
            itemsByUser.computeIfAbsent(e.userId(), u -> new ArrayList<>()).add(e.itemId());
        }));
        for (int u = 0; u < 7; u++) {
            String user = "u" + u;
            assertThat(itemsByUser.get(user)).as("one user's events, in the order they were stored")
                    .containsExactlyElementsOf(sent.stream().filter(e -> e.userId().equals(user)).map(FeedbackEvent::itemId).toList());
        }
    }

    /**
     * Eight clients send steadily and resend whatever was not acknowledged (as a service does on
     * 503); the broker is killed with SIGKILL and restarted mid-load. Every acknowledged event is in
     * the topic afterwards; duplicates (sent again after a lost acknowledgement) are counted.
     */
    @Test
    void everyAcknowledgedEventSurvivesABrokerKill() throws Exception {
        String topic = "sequor-feedback.test.crash";
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicLong refused = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try (KafkaFeedbackSink sink = open(topic, 10_000)) {
            for (int c = 0; c < 8; c++) {
                String user = "client-" + c;
                clients.submit(() -> {
                    long n = 0;
                    while (!stop.get()) {
                        FeedbackEvent e = event(user, "i" + n++, System.currentTimeMillis());
                        boolean stored = false;
                        while (!stored && !stop.get()) {
                            try {
                                sink.store(e).get(30, TimeUnit.SECONDS);
                                acknowledged.add(e.eventId());
                                stored = true;
                            } catch (Exception failed) {
                                // Sent again at once: a failure here already took the delivery timeout.
                                refused.incrementAndGet();
                            }
                        }
                    }
                    return null;
                });
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 2_000);
            long beforeKill = acknowledged.size();
            broker.kill();
            long refusedBefore = refused.get();
            // The broker stays down until the clients have seen it fail.
            await().atMost(DELIVERY.multipliedBy(3)).until(() -> refused.get() > refusedBefore);
            broker.restart();
            long atRestart = acknowledged.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= atRestart + 2_000);
            stop.set(true);
            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

            FeedbackSnapshot snapshot = snapshot(topic);
            Map<String, Integer> stored = new HashMap<>();
            snapshot.streams().values().forEach(records -> records.forEach(
                    r -> stored.merge(FeedbackEvent.parse(r.payload()).eventId(), 1, Integer::sum)));
            Set<String> lost = new HashSet<>(acknowledged);
            lost.removeAll(stored.keySet());
            assertThat(lost).as("acknowledged events missing after the broker's kill -9").isEmpty();
            long duplicates = stored.values().stream().filter(n -> n > 1).count();
            System.out.printf("kafka crash test: %d acknowledged (%d before the kill), %d records in the topic, "
                    + "%d events stored more than once, %d sends refused or failed and sent again%n",
                    acknowledged.size(), beforeKill, snapshot.records(), duplicates, refused.get());
        } finally {
            stop.set(true);
            clients.shutdownNow();
        }
    }

    @Test
    void aBrokerThatIsDownGetsRefusalsNotWaitsAndTheSinkRecovers() {
        String topic = "sequor-feedback.test.outage";
        try (KafkaFeedbackSink sink = open(topic, 20)) {
            sink.store(event("u", "warm", 1)).join();
            broker.kill();
            try {
                List<CompletableFuture<Void>> waiting = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    waiting.add(sink.store(event("u", "i" + i, 2 + i)));
                }
                assertThatThrownBy(() -> sink.store(event("u", "over", 50)))
                        .as("beyond maxPending: refused at once").isInstanceOf(SinkOverloadedException.class);
                await().atMost(DELIVERY.multipliedBy(3)).until(() -> waiting.stream().allMatch(CompletableFuture::isDone));
                assertThat(waiting).as("not acknowledged within the delivery timeout: failed, so the client resends")
                        .allMatch(CompletableFuture::isCompletedExceptionally);
                assertThatThrownBy(() -> waiting.get(0).join()).hasCauseInstanceOf(SinkUnavailableException.class);
            } finally {
                broker.restart();
            }
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> sink.store(event("u", "after", 100)).get(10, TimeUnit.SECONDS) == null);
        }
    }
}
