package dev.sequor.runtime.inference;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Coalesces concurrent requests into one model run: a batch closes when it holds
 * {@code maxSize} requests or when its first request has waited {@code maxDelay}; under low load
 * (one request at a time) it runs at once instead of waiting. Rows of
 * different lengths are padded within the batch; a request whose deadline passed before its
 * batch ran is failed, not run. One worker thread runs the batches; ONNX Runtime parallelises
 * inside each run. The worker only runs the model: each answer is completed on the request's own
 * executor, because the caller's next steps (a response written per request) would otherwise
 * leave the model idle between batches.
 */
public final class DynamicBatcher implements AutoCloseable {

    /**
     * One recommendation request: a padded history row, its times and event types (each null unless
     * the model reads it) and the items it must not get back. Its answer is completed on
     * {@code completeOn}, so that what the caller does next runs off the batcher's thread.
     */
    public record Request(long[] history, long[] timestamps, long[] events, long[] exclude, int k, long deadlineNanos,
            long enqueuedNanos, CompletableFuture<Answer> answer, Executor completeOn) {

        /** A request whose answer is completed where the caller runs (its event loop, if it is on one). */
        public Request(long[] history, long[] timestamps, long[] events, long[] exclude, int k, long deadlineNanos,
                long enqueuedNanos, CompletableFuture<Answer> answer) {
            this(history, timestamps, events, exclude, k, deadlineNanos, enqueuedNanos, answer,
                    CompletionExecutor.ofCaller());
        }

        void complete(Answer a) {
            completeOn.execute(() -> answer.complete(a));
        }

        void fail(Throwable t) {
            completeOn.execute(() -> answer.completeExceptionally(t));
        }
    }

    /** A request's result and how it was served. */
    public record Answer(float[] scores, long[] items, long queueNanos, int batchSize) {
    }

    /** Told about every batch, for metrics. */
    public interface Observer {
        void batch(int size, long inferenceNanos);

        void expired();
    }

    /** The queue is full or the batcher is closing; the caller answers 503 (or, if closing, tries the new model). */
    public static final class Rejected extends RuntimeException {
        private final boolean retired;

        Rejected(String message, boolean retired) {
            super(message);
            this.retired = retired;
        }

        /** The batcher's model is being replaced: the request may go to the model that replaced it. */
        public boolean retired() {
            return retired;
        }
    }

    /** The request's deadline passed while it waited. */
    public static final class Expired extends RuntimeException {
        public Expired() {
            super("the request's deadline passed while it waited for the model");
        }
    }

    private static final Request POISON = new Request(null, null, null, null, 0, 0, 0, null, null);

    private final OnnxRecommender model;
    private final int maxSize;
    private final long maxDelayNanos;
    private final Observer observer;
    private final BlockingQueue<Request> queue;
    private final Thread worker;
    private volatile boolean accepting = true;
    private int lastBatchSize = 1;

    public DynamicBatcher(OnnxRecommender model, int maxSize, Duration maxDelay, int queueCapacity, Observer observer) {
        this.model = model;
        this.maxSize = Math.max(1, maxSize);
        this.maxDelayNanos = maxDelay.toNanos();
        this.observer = observer;
        this.queue = new LinkedBlockingQueue<>(queueCapacity);
        this.worker = new Thread(this::run, "sequor-batcher");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /**
     * Waits for a submitted request's answer: past {@code timeoutNanos} (twice the queue deadline,
     * so the batcher fails it first) it counts as expired; the batcher's own failures are rethrown.
     */
    public static Answer await(CompletableFuture<Answer> answer, long timeoutNanos) {
        try {
            return answer.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new Expired();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Expired();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    public void submit(Request request) {
        // Checked and queued under the lock close() takes, so no request lands behind the poison pill unanswered.
        synchronized (this) {
            if (!accepting) {
                throw new Rejected("the model is being replaced", true);
            }
            if (queue.offer(request)) {
                return;
            }
        }
        throw new Rejected("the model's queue is full", false);
    }

    /** Requests waiting for a model run. */
    public int queueDepth() {
        return queue.size();
    }

    /** Stops taking requests, finishes the queued ones, then returns. */
    @Override
    public void close() {
        try {
            synchronized (this) {
                if (!accepting) {
                    return;
                }
                accepting = false;
                queue.put(POISON);
            }
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Request> batch = new ArrayList<>(maxSize);
        while (true) {
            try {
                Request first = queue.take();
                if (first == POISON) {
                    return;
                }
                batch.add(first);
                boolean stop = false;
                // Under low load (the last batch held one request and nothing else is queued) a
                // request runs at once: waiting for company that is not coming only adds latency.
                boolean lowLoad = lastBatchSize <= 1 && queue.isEmpty();
                long closeAt = lowLoad ? 0 : first.enqueuedNanos() + maxDelayNanos;
                while (batch.size() < maxSize) {
                    long wait = closeAt - System.nanoTime();
                    Request next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    if (next == POISON) {
                        stop = true;
                        break;
                    }
                    batch.add(next);
                }
                runBatch(batch);
                lastBatchSize = batch.size();
                batch.clear();
                if (stop) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void runBatch(List<Request> batch) {
        long now = System.nanoTime();
        List<Request> live = new ArrayList<>(batch.size());
        for (Request r : batch) {
            if (now > r.deadlineNanos()) {
                observer.expired();
                r.fail(new Expired());
            } else {
                live.add(r);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        int rows = live.size();
        int length = live.get(0).history().length;
        int width = 1;
        int k = 1;
        for (Request r : live) {
            width = Math.max(width, r.exclude().length);
            k = Math.max(k, r.k());
        }
        long[] histories = new long[rows * length];
        long[] times = model.readsTime() ? new long[rows * length] : null;
        long[] events = model.readsEvents() ? new long[rows * length] : null;
        long[] exclude = new long[rows * width];
        for (int i = 0; i < rows; i++) {
            Request r = live.get(i);
            System.arraycopy(r.history(), 0, histories, i * length, length);
            if (times != null) {
                System.arraycopy(r.timestamps(), 0, times, i * length, length);
            }
            if (events != null) {
                System.arraycopy(r.events(), 0, events, i * length, length);
            }
            System.arraycopy(r.exclude(), 0, exclude, i * width, r.exclude().length);
        }
        try {
            long start = System.nanoTime();
            OnnxRecommender.TopK result = model.topK(histories, times, events, rows, exclude, width, k);
            long inference = System.nanoTime() - start;
            observer.batch(rows, inference);
            for (int i = 0; i < rows; i++) {
                Request r = live.get(i);
                r.complete(new Answer(java.util.Arrays.copyOf(result.scores()[i], r.k()),
                        java.util.Arrays.copyOf(result.items()[i], r.k()), start - r.enqueuedNanos(), rows));
            }
        } catch (Exception | Error e) {
            for (Request r : live) {
                r.fail(e);
            }
        }
    }
}
