package dev.sequor.runtime.inference;

import dev.sequor.runtime.config.Durations;
import dev.sequor.runtime.config.RuntimeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Open Inference Protocol inference on the model's own tensors, shared by the REST and gRPC
 * front ends: checks shapes and values, then runs each row through the dynamic batcher.
 */
@ApplicationScoped
public class TensorInference {

    /**
     * The request's tensors, flattened, with their shapes. {@code exclude} and {@code k} may be null
     * (left out of the request): each row's own history is excluded, and the configured default k is used.
     * {@code timestamps} (the history's times, same shape) is required by a model that reads time and
     * may be null otherwise; {@code events} (event type indices, same shape) likewise for a model
     * that reads event types.
     */
    public record Inputs(long[] history, long[] historyShape, long[] timestamps, long[] timestampsShape,
            long[] events, long[] eventsShape, long[] exclude, long[] excludeShape, long[] k, long[] kShape) {
    }

    /** Outputs [rows, k], flattened row by row. */
    public record Outputs(int rows, int k, float[] scores, long[] items, String version) {
    }

    private final ModelService models;
    private final String servedName;
    private final long timeoutNanos;
    private final int defaultK;

    public TensorInference(ModelService models, RuntimeConfig config) {
        this.models = models;
        this.servedName = config.model().name();
        this.timeoutNanos = Durations.parse(config.inference().timeout()).toNanos();
        this.defaultK = config.topK().defaultK();
    }

    /** The model's tensors, with this runtime's defaults for the optional inputs. */
    public List<OipSignature.TensorSpec> inputs(LoadedModel m) {
        return OipSignature.inputs(m.pkg().maxLength(), defaultK, m.recommender().readsTime(),
                m.recommender().readsEvents());
    }

    /** Checks the inputs (throws {@link InferenceException}) and answers once every row has been scored. */
    public CompletableFuture<Outputs> infer(LoadedModel m, Inputs given) {
        Inputs in = withDefaults(given, m.pkg().itemCount());
        int length = m.pkg().maxLength();
        if (in.historyShape().length != 2 || in.historyShape()[1] != length) {
            throw InferenceException.invalid("input 'history' must have shape [batch, " + length + "], got "
                    + Arrays.toString(in.historyShape()));
        }
        int rows = (int) in.historyShape()[0];
        if (in.excludeShape().length != 2 || in.excludeShape()[0] != rows || in.excludeShape()[1] < 1) {
            throw InferenceException.invalid("input 'exclude' must have shape [" + rows + ", n>=1], got "
                    + Arrays.toString(in.excludeShape()));
        }
        if (in.kShape().length != 1 || in.kShape()[0] != 1) {
            throw InferenceException.invalid("input 'k' must have shape [1], got " + Arrays.toString(in.kShape()));
        }
        checkCount("history", in.history(), in.historyShape());
        checkCount("exclude", in.exclude(), in.excludeShape());
        int k = (int) in.k()[0];
        if (k < 1 || k > m.pkg().itemCount()) {
            throw InferenceException.invalid("k must be between 1 and " + m.pkg().itemCount() + ", got " + in.k()[0]);
        }
        for (long[] t : List.of(in.history(), in.exclude())) {
            for (long v : t) {
                if (v < 0 || v > m.pkg().itemCount()) {
                    throw InferenceException.invalid("item indices must be between 0 and " + m.pkg().itemCount()
                            + ", got " + v);
                }
            }
        }
        long[] times = times(m, in, length);
        long[] events = events(m, in, length);
        int width = (int) in.excludeShape()[1];
        List<CompletableFuture<DynamicBatcher.Answer>> answers = new ArrayList<>(rows);
        long now = System.nanoTime();
        for (int r = 0; r < rows; r++) {
            CompletableFuture<DynamicBatcher.Answer> answer = new CompletableFuture<>();
            m.batcher().submit(new DynamicBatcher.Request(Arrays.copyOfRange(in.history(), r * length, (r + 1) * length),
                    times == null ? null : Arrays.copyOfRange(times, r * length, (r + 1) * length),
                    events == null ? null : Arrays.copyOfRange(events, r * length, (r + 1) * length),
                    Arrays.copyOfRange(in.exclude(), r * width, (r + 1) * width), k, now + timeoutNanos, now, answer));
            answers.add(answer);
        }
        // No thread waits for the batch: the answer is assembled when the last row's arrives.
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .orTimeout(timeoutNanos * 2, TimeUnit.NANOSECONDS).thenApply(done -> {
                    float[] scores = new float[rows * k];
                    long[] items = new long[rows * k];
                    for (int r = 0; r < rows; r++) {
                        DynamicBatcher.Answer a = answers.get(r).join();
                        System.arraycopy(a.scores(), 0, scores, r * k, k);
                        System.arraycopy(a.items(), 0, items, r * k, k);
                    }
                    return new Outputs(rows, k, scores, items, m.version());
                });
    }

    private Inputs withDefaults(Inputs in, int itemCount) {
        long[] exclude = in.exclude() != null ? in.exclude() : in.history();
        long[] excludeShape = in.exclude() != null ? in.excludeShape() : in.historyShape();
        long[] k = in.k() != null ? in.k() : new long[] {Math.min(defaultK, itemCount)};
        long[] kShape = in.k() != null ? in.kShape() : new long[] {1};
        return new Inputs(in.history(), in.historyShape(), in.timestamps(), in.timestampsShape(), in.events(),
                in.eventsShape(), exclude, excludeShape, k, kShape);
    }

    /** The checked event types of a model that reads them: each 1..types at every real position. */
    private static long[] events(LoadedModel m, Inputs in, int length) {
        if (!m.recommender().readsEvents()) {
            return null;
        }
        if (in.events() == null) {
            throw InferenceException.invalid("missing input 'events': model version " + m.version() + " reads each "
                    + "action's event type (INT64 [batch, " + length + "], 1.. into "
                    + m.pkg().metadata().eventTypes() + ", aligned with history)");
        }
        int types = m.pkg().metadata().eventTypes().size();
        checkRows("events", in.events(), in.eventsShape(), in, length,
                (first, end) -> HistoryEvents.check(in.events(), first, end, types, "events"));
        return in.events();
    }

    /** What one row's values at its real positions [first, end) must satisfy. */
    private interface RowCheck {
        void check(int first, int end);
    }

    /** Checks an input aligned with 'history': its shape, its count, and each row at its real positions. */
    private static void checkRows(String name, long[] data, long[] shape, Inputs in, int length, RowCheck check) {
        if (!Arrays.equals(shape, in.historyShape())) {
            throw InferenceException.invalid("input '" + name + "' must have the shape of 'history' "
                    + Arrays.toString(in.historyShape()) + ", got " + Arrays.toString(shape));
        }
        checkCount(name, data, shape);
        for (int r = 0; r < in.historyShape()[0]; r++) {
            int first = r * length;
            while (first < (r + 1) * length && in.history()[first] == 0) {
                first++;
            }
            try {
                check.check(first, (r + 1) * length);
            } catch (InferenceException e) {
                throw InferenceException.invalid("row " + r + ": " + e.getMessage());
            }
        }
    }

    /** The checked times of a model that reads time: each row's, at its real (non-padding) positions. */
    private static long[] times(LoadedModel m, Inputs in, int length) {
        if (in.timestamps() == null) {
            if (m.recommender().readsTime()) {
                throw InferenceException.invalid("missing input 'timestamps': model version " + m.version()
                        + " reads when each action happened (INT64 [batch, " + length + "], epoch seconds, aligned with "
                        + "history)");
            }
            return null;
        }
        long now = System.currentTimeMillis() / 1000;
        checkRows("timestamps", in.timestamps(), in.timestampsShape(), in, length,
                (first, end) -> HistoryTimes.check(in.timestamps(), first, end, now, "timestamps"));
        return m.recommender().readsTime() ? in.timestamps() : null;
    }

    private static void checkCount(String name, long[] data, long[] shape) {
        long expected = 1;
        for (long d : shape) {
            if (d < 1) {
                throw InferenceException.invalid("input '" + name + "' has an invalid shape " + Arrays.toString(shape));
            }
            expected *= d;
        }
        if (data.length != expected) {
            throw InferenceException.invalid("input '" + name + "' has shape " + Arrays.toString(shape) + " but "
                    + data.length + " values");
        }
    }

    /** The loaded model, if it is the one asked for: 404 for another name or version, 503 when none is ready. */
    public LoadedModel require(String name, String version) {
        LoadedModel m = models.state().model();
        if (!servedName.equals(name)) {
            throw new InferenceException(InferenceException.Kind.NOT_FOUND, "no model named '" + name + "' (this runtime serves '" + servedName + "')");
        }
        if (m == null) {
            throw new InferenceException(InferenceException.Kind.NOT_READY, "model '" + name + "' is not ready: " + models.state().problem());
        }
        if (version != null && !version.isEmpty() && !version.equals(m.version())) {
            throw new InferenceException(InferenceException.Kind.NOT_FOUND, "model '" + name + "' has no version '" + version + "' here (serving '"
                    + m.version() + "')");
        }
        return m;
    }
}
