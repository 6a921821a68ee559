package dev.sequor.runtime.inference;

import dev.sequor.runtime.config.Durations;
import dev.sequor.runtime.config.RuntimeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Open Inference Protocol inference on the model's own tensors, shared by the REST and gRPC
 * front ends: checks shapes and values, then runs each row through the dynamic batcher.
 */
@ApplicationScoped
public class TensorInference {

    /** The request's tensors, flattened, with their shapes. */
    public record Inputs(long[] history, long[] historyShape, long[] exclude, long[] excludeShape, long[] k,
            long[] kShape) {
    }

    /** Outputs [rows, k], flattened row by row. */
    public record Outputs(int rows, int k, float[] scores, long[] items, String version) {
    }

    private final ModelService models;
    private final String servedName;
    private final long timeoutNanos;

    public TensorInference(ModelService models, RuntimeConfig config) {
        this.models = models;
        this.servedName = config.model().name();
        this.timeoutNanos = Durations.parse(config.inference().timeout()).toNanos();
    }

    public Outputs infer(LoadedModel m, Inputs in) {
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
        int width = (int) in.excludeShape()[1];
        List<CompletableFuture<DynamicBatcher.Answer>> answers = new ArrayList<>(rows);
        long now = System.nanoTime();
        for (int r = 0; r < rows; r++) {
            CompletableFuture<DynamicBatcher.Answer> answer = new CompletableFuture<>();
            m.batcher().submit(new DynamicBatcher.Request(Arrays.copyOfRange(in.history(), r * length, (r + 1) * length),
                    Arrays.copyOfRange(in.exclude(), r * width, (r + 1) * width), k, now + timeoutNanos, now, answer));
            answers.add(answer);
        }
        float[] scores = new float[rows * k];
        long[] items = new long[rows * k];
        for (int r = 0; r < rows; r++) {
            DynamicBatcher.Answer a = DynamicBatcher.await(answers.get(r), timeoutNanos * 2);
            System.arraycopy(a.scores(), 0, scores, r * k, k);
            System.arraycopy(a.items(), 0, items, r * k, k);
        }
        return new Outputs(rows, k, scores, items, m.version());
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
