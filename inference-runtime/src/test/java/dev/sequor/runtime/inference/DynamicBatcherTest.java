package dev.sequor.runtime.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequor.modelpackage.ModelPackage;
import dev.sequor.testing.GoldenPackages;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where the batcher completes answers (the model-running thread must not build responses), and what
 * closing it under load does to the requests in flight.
 */
class DynamicBatcherTest {

    private static final DynamicBatcher.Observer NONE = new DynamicBatcher.Observer() {
        @Override
        public void batch(int size, long inferenceNanos) {
        }

        @Override
        public void expired() {
        }
    };

    private static ModelPackage pkg;
    private static OnnxRecommender model;
    private static DynamicBatcher batcher;
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        pkg = ModelPackage.load(GoldenPackages.version(1));
        model = new OnnxRecommender(pkg, 1, false);
        batcher = new DynamicBatcher(model, 8, Duration.ofMillis(2), 100, NONE);
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        batcher.close();
        model.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRequestFromAnEventLoopIsAnsweredOnThatEventLoop() throws Exception {
        CompletableFuture<String> submittedOn = new CompletableFuture<>();
        CompletableFuture<String> answeredOn = new CompletableFuture<>();
        vertx.runOnContext(ignored -> {
            submittedOn.complete(Thread.currentThread().getName());
            // The dependent is registered before the batcher can complete the answer, so it runs
            // on whichever thread completes it.
            CompletableFuture<DynamicBatcher.Answer> answer = new CompletableFuture<>();
            answer.thenRun(() -> answeredOn.complete(Thread.currentThread().getName()));
            batcher.submit(request(answer));
        });
        assertThat(submittedOn.get(10, TimeUnit.SECONDS)).startsWith("vert.x-eventloop-thread-");
        assertThat(answeredOn.get(10, TimeUnit.SECONDS)).isEqualTo(submittedOn.get());
    }

    @Test
    void aRequestFromAnyOtherThreadIsAnsweredByTheBatcherItself() throws Exception {
        CompletableFuture<DynamicBatcher.Answer> answer = new CompletableFuture<>();
        CompletableFuture<String> answeredOn = answer.thenApply(a -> Thread.currentThread().getName());
        batcher.submit(request(answer));
        assertThat(answeredOn.get(10, TimeUnit.SECONDS)).isEqualTo("sequor-batcher");
        assertThat(answer.get().items()).hasSize(5).doesNotContain(0L);
    }

    /**
     * Many retirements under load: a request is either refused as retired or answered by the drain,
     * never queued behind the batcher's last batch and left waiting. (The interleaving that loses
     * one is narrow, so the test repeats it.)
     */
    @Test
    void closingUnderLoadAnswersEveryAcceptedRequestAndRefusesTheRestAsRetired() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 50; round++) {
                DynamicBatcher retiring = new DynamicBatcher(model, 8, Duration.ZERO, 10_000, NONE);
                List<CompletableFuture<DynamicBatcher.Answer>> accepted = new CopyOnWriteArrayList<>();
                AtomicInteger retired = new AtomicInteger();
                List<Future<?>> submitters = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    submitters.add(clients.submit(() -> {
                        while (true) {
                            CompletableFuture<DynamicBatcher.Answer> answer = new CompletableFuture<>();
                            try {
                                retiring.submit(request(answer));
                                accepted.add(answer);
                            } catch (DynamicBatcher.Rejected e) {
                                if (!e.retired()) {
                                    Thread.yield(); // the queue is full: let the batcher drain it
                                    continue;
                                }
                                retired.incrementAndGet();
                                return;
                            }
                        }
                    }));
                }
                while (accepted.size() < 4) {
                    Thread.onSpinWait();
                }
                retiring.close();
                for (Future<?> s : submitters) {
                    s.get(30, TimeUnit.SECONDS);
                }
                assertThat(retired.get()).as("round %d", round).isEqualTo(4);
                for (CompletableFuture<DynamicBatcher.Answer> answer : accepted) {
                    assertThat(answer).as("round %d", round).succeedsWithin(Duration.ofSeconds(10));
                }
            }
        } finally {
            clients.shutdownNow();
        }
    }

    private static DynamicBatcher.Request request(CompletableFuture<DynamicBatcher.Answer> answer) {
        long[] history = new long[pkg.maxLength()];
        history[history.length - 2] = 3;
        history[history.length - 1] = 7;
        long now = System.nanoTime();
        return new DynamicBatcher.Request(history, null, null, new long[] {3, 7}, 5, now + TimeUnit.SECONDS.toNanos(5), now, answer);
    }
}
