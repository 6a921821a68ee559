package dev.sequor.trainer.eval;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sequor.modelpackage.ItemVocabulary;
import dev.sequor.modelpackage.ModelPackage;
import dev.sequor.modelpackage.OnnxSignature;
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
        int length = pkg.maxLength();
        int k = pkg.itemCount();
        long[][] input = new long[histories.size()][length];
        for (int r = 0; r < histories.size(); r++) {
            int[] known = Arrays.stream(histories.get(r)).map(i -> toPackage[i]).filter(i -> i != 0).toArray();
            int from = Math.max(0, known.length - length);
            for (int j = from; j < known.length; j++) {
                input[r][length - (known.length - j)] = known[j];
            }
        }
        long[][] exclude = new long[histories.size()][1];
        try (OnnxTensor h = OnnxTensor.createTensor(env, input);
                OnnxTensor x = OnnxTensor.createTensor(env, exclude);
                OnnxTensor kk = OnnxTensor.createTensor(env, new long[] {k});
                OrtSession.Result result = session.run(Map.of(OnnxSignature.INPUT_HISTORY, h,
                        OnnxSignature.INPUT_EXCLUDE, x, OnnxSignature.INPUT_K, kk))) {
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
