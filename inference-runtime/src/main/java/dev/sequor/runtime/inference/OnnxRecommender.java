package dev.sequor.runtime.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.sequor.modelpackage.Architectures;
import dev.sequor.modelpackage.InvalidPackageException;
import dev.sequor.modelpackage.ModelPackage;
import dev.sequor.modelpackage.OnnxSignature;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One model package in an ONNX Runtime session: CUDA when the runtime has it and a GPU is
 * there, CPU otherwise. {@link #topK} runs a whole batch of padded histories.
 */
public final class OnnxRecommender implements AutoCloseable {


    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final ModelPackage pkg;
    private final OrtSession session;
    private final String provider;
    private final boolean readsTime;
    private final boolean readsEvents;

    /** Scores and item indices of one batch, best first. */
    public record TopK(float[][] scores, long[][] items) {
    }

    /**
     * @param spinWait whether ONNX Runtime's intra-op threads spin between runs: faster when the
     *     model owns the cores, slower when a server shares them with request handling
     */
    public OnnxRecommender(ModelPackage pkg, int threads, boolean spinWait) {
        this.pkg = pkg;
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            // A spinning intra-op pool burns the cores the event loops need between runs (docs/benchmarks.md).
            options.addConfigEntry("session.intra_op.allow_spinning", spinWait ? "1" : "0");
            String chosen = "CPU";
            if (OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
                try {
                    options.addCUDA(0);
                    chosen = "CUDA";
                } catch (OrtException noGpu) {
                    chosen = "CPU";
                }
            }
            this.provider = chosen;
            this.session = env.createSession(pkg.modelFile().toString(), options);
        } catch (OrtException e) {
            throw new InvalidPackageException("ONNX Runtime cannot load " + pkg.modelFile() + ": " + e.getMessage(), e);
        }
        checkSignature();
        this.readsTime = readsInput(OnnxSignature.INPUT_TIMESTAMPS);
        this.readsEvents = readsInput(OnnxSignature.INPUT_EVENTS);
    }

    /** Architectures this runtime's graph handling serves. */
    static final Set<String> ARCHITECTURES = Architectures.ALL;

    /** Refuses a package of an architecture this runtime does not serve. */
    public static void requireServable(ModelPackage pkg) {
        if (!ARCHITECTURES.contains(pkg.metadata().architecture())) {
            throw new InvalidPackageException("architecture '" + pkg.metadata().architecture()
                    + "' is not served by this runtime (" + String.join(", ", ARCHITECTURES) + ")");
        }
    }

    public String provider() {
        return provider;
    }

    public ModelPackage modelPackage() {
        return pkg;
    }

    /** Whether the graph reads each action's time ({@link OnnxSignature#INPUT_TIMESTAMPS}): TiSASRec. */
    public boolean readsTime() {
        return readsTime;
    }

    /** Whether the graph reads each action's event type ({@link OnnxSignature#INPUT_EVENTS}). */
    public boolean readsEvents() {
        return readsEvents;
    }

    /**
     * Runs rows of histories (each {@code maxLength} long, left-padded) with their times and event
     * types (the same layout; each null unless the model reads it) and rows of excluded items
     * ({@code excludeWidth} each, padded with 0) and returns the best {@code k} per row.
     */
    public TopK topK(long[] histories, long[] times, long[] events, int rows, long[] exclude, int excludeWidth, int k)
            throws OrtException {
        int length = pkg.maxLength();
        long[] shape = {rows, length};
        Map<String, OnnxTensor> inputs = new HashMap<>(8);
        try {
            inputs.put(OnnxSignature.INPUT_HISTORY, OnnxTensor.createTensor(env, LongBuffer.wrap(histories), shape));
            if (readsTime) {
                inputs.put(OnnxSignature.INPUT_TIMESTAMPS, OnnxTensor.createTensor(env, LongBuffer.wrap(times), shape));
            }
            if (readsEvents) {
                inputs.put(OnnxSignature.INPUT_EVENTS, OnnxTensor.createTensor(env, LongBuffer.wrap(events), shape));
            }
            inputs.put(OnnxSignature.INPUT_EXCLUDE, OnnxTensor.createTensor(env, LongBuffer.wrap(exclude),
                    new long[] {rows, excludeWidth}));
            inputs.put(OnnxSignature.INPUT_K, OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {k}), new long[] {1}));
            try (OrtSession.Result result = session.run(inputs)) {
                return new TopK((float[][]) result.get(OnnxSignature.OUTPUT_SCORES).get().getValue(),
                        (long[][]) result.get(OnnxSignature.OUTPUT_ITEMS).get().getValue());
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /**
     * Checks the graph against the metadata: the inputs and outputs the runtime feeds, the history
     * length, and that the graph scores exactly itemCount items (asking for all of them plus
     * padding must work, and the last must be the masked padding).
     */
    public void verifyAndWarmUp() {
        try {
            int all = pkg.itemCount() + 1;
            long[] empty = new long[pkg.maxLength()];
            TopK everything = topK(empty, empty, empty, 1, new long[] {0}, 1, all);
            float[] s = everything.scores()[0];
            if (s[all - 1] > OnnxSignature.MASKED_BELOW || s[all - 2] <= OnnxSignature.MASKED_BELOW) {
                throw new InvalidPackageException("the graph does not score exactly " + pkg.itemCount()
                        + " items (metadata itemCount)");
            }
            for (int i = 0; i < 3; i++) {
                topK(empty, empty, empty, 1, new long[] {0}, 1, Math.min(10, pkg.itemCount()));
            }
        } catch (OrtException e) {
            throw new InvalidPackageException("the graph fails on a warm-up request: " + e.getMessage(), e);
        }
    }

    private boolean readsInput(String name) {
        return session.getInputNames().contains(name);
    }

    /** Checks the graph's inputs and outputs against what the runtime feeds and the metadata declares. */
    private void checkSignature() {
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            for (String name : new String[] {OnnxSignature.INPUT_HISTORY, OnnxSignature.INPUT_EXCLUDE,
                    OnnxSignature.INPUT_K}) {
                if (!inputs.containsKey(name)) {
                    throw new InvalidPackageException("model.onnx has no input '" + name + "'; inputs: " + inputs.keySet());
                }
            }
            for (String name : new String[] {OnnxSignature.OUTPUT_SCORES, OnnxSignature.OUTPUT_ITEMS}) {
                if (!outputs.containsKey(name)) {
                    throw new InvalidPackageException("model.onnx has no output '" + name + "'");
                }
            }
            long[] shape = ((TensorInfo) inputs.get(OnnxSignature.INPUT_HISTORY).getInfo()).getShape();
            if (shape.length != 2 || shape[1] != pkg.maxLength()) {
                throw new InvalidPackageException("model.onnx history input has shape " + java.util.Arrays.toString(shape)
                        + " but metadata maxSequenceLength is " + pkg.maxLength());
            }
            Map<String, String> declared = pkg.metadata().inputs();
            for (String optional : new String[] {OnnxSignature.INPUT_TIMESTAMPS, OnnxSignature.INPUT_EVENTS}) {
                boolean inGraph = inputs.containsKey(optional);
                if (declared != null && declared.containsKey(optional) != inGraph) {
                    throw new InvalidPackageException("metadata.json " + (inGraph ? "does not declare" : "declares")
                            + " the input '" + optional + "' but model.onnx " + (inGraph ? "has it" : "does not"));
                }
            }
            List<String> eventTypes = pkg.metadata().eventTypes();
            if (inputs.containsKey(OnnxSignature.INPUT_EVENTS) && (eventTypes == null || eventTypes.isEmpty())) {
                throw new InvalidPackageException("model.onnx reads event types but metadata.json lists no eventTypes");
            }
        } catch (OrtException e) {
            throw new InvalidPackageException("cannot read the graph's signature: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
