package dev.sequor.trainer.eval;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sequor.modelpackage.ItemVocabulary;
import dev.sequor.modelpackage.ModelPackage;
import dev.sequor.modelpackage.OnnxSignature;
import dev.sequor.trainer.data.ActionFeature;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A registered model package scored as the runtime serves it (ONNX Runtime), over the item indices
 * of new data: how the champion does on the held-out data of a new run. Items the package does not
 * know get no score (never recommended); a held-out item it does not know is a miss.
 */
public final class PackageScorer implements Scorer, AutoCloseable {

    private final ModelPackage pkg;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    /** Index in the data → index in the package (0: unknown). */
    private final int[] toPackage;
    /** Index in the package → index in the data (0: unknown). */
    private final int[] fromPackage;

    public PackageScorer(Path packageDir, ItemVocabulary dataItems) {
        this.pkg = ModelPackage.load(packageDir);
        try {
            this.session = env.createSession(pkg.modelFile().toString(), new OrtSession.SessionOptions());
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load " + pkg.modelFile() + ": " + e.getMessage(), e);
        }
        ItemVocabulary known = pkg.vocabulary();
        toPackage = new int[dataItems.size() + 1];
        fromPackage = new int[pkg.itemCount() + 1];
        for (int i = 1; i <= dataItems.size(); i++) {
            Integer p = known.index(dataItems.externalId(i));
            if (p != null) {
                toPackage[i] = p;
                fromPackage[p] = i;
            }
        }
    }

    @Override
    public float[][] scores(List<int[]> histories) {
        return scores(histories, Map.of());
    }

    @Override
    public float[][] scores(List<int[]> histories, Map<ActionFeature, List<long[]>> features) {
        int length = pkg.maxLength();
        int k = pkg.itemCount();
        List<ActionFeature> read = java.util.Arrays.stream(ActionFeature.values())
                .filter(f -> session.getInputNames().contains(f.input())).toList();
        for (ActionFeature f : read) {
            if (!features.containsKey(f)) {
                throw new IllegalStateException(pkg.metadata().name() + " reads " + f + "; the new data has none");
            }
        }
        long[][] input = new long[histories.size()][length];
        long[][][] featureInputs = new long[read.size()][histories.size()][length];
        for (int r = 0; r < histories.size(); r++) {
            int[] h = histories.get(r);
            // Items the package does not know are left out, with their times and event types.
            int[] kept = java.util.stream.IntStream.range(0, h.length).filter(i -> toPackage[h[i]] != 0).toArray();
            int from = Math.max(0, kept.length - length);
            for (int j = from; j < kept.length; j++) {
                input[r][length - (kept.length - j)] = toPackage[h[kept[j]]];
                for (int f = 0; f < read.size(); f++) {
                    featureInputs[f][r][length - (kept.length - j)] = features.get(read.get(f)).get(r)[kept[j]];
                }
            }
        }
        long[][] exclude = new long[histories.size()][1];
        Map<String, OnnxTensor> inputs = new java.util.HashMap<>();
        try {
            inputs.put(OnnxSignature.INPUT_HISTORY, OnnxTensor.createTensor(env, input));
            for (int f = 0; f < read.size(); f++) {
                inputs.put(read.get(f).input(), OnnxTensor.createTensor(env, featureInputs[f]));
            }
            inputs.put(OnnxSignature.INPUT_EXCLUDE, OnnxTensor.createTensor(env, exclude));
            inputs.put(OnnxSignature.INPUT_K, OnnxTensor.createTensor(env, new long[] {k}));
        } catch (OrtException e) {
            inputs.values().forEach(OnnxTensor::close);
            throw new IllegalStateException("cannot build inputs for " + pkg.modelFile() + ": " + e.getMessage(), e);
        }
        try (OrtSession.Result result = session.run(inputs)) {
            float[][] top = (float[][]) result.get(OnnxSignature.OUTPUT_SCORES).orElseThrow().getValue();
            long[][] items = (long[][]) result.get(OnnxSignature.OUTPUT_ITEMS).orElseThrow().getValue();
            float[][] out = new float[histories.size()][toPackage.length];
            for (int r = 0; r < out.length; r++) {
                Arrays.fill(out[r], Float.NEGATIVE_INFINITY);
                for (int j = 0; j < items[r].length; j++) {
                    int data = fromPackage[(int) items[r][j]];
                    if (data != 0) {
                        out[r][data] = top[r][j];
                    }
                }
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("scoring with " + pkg.modelFile() + " failed: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public String name() {
        return "package " + pkg.metadata().name();
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
