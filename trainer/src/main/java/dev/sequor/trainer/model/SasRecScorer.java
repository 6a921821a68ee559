package dev.sequor.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.sequor.trainer.eval.Scorer;
import dev.sequor.trainer.data.ActionFeature;
import java.util.List;
import java.util.Map;

/**
 * Scores the catalogue with a SASRec block in inference mode: last hidden state · item embeddings
 * (BERT4Rec's at the mask token put after the history).
 */
public final class SasRecScorer implements Scorer {

    private final SasRecBlock block;
    private final NDManager manager;

    public SasRecScorer(SasRecBlock block, NDManager manager) {
        this.block = block;
        this.manager = manager;
    }

    @Override
    public float[][] scores(List<int[]> histories) {
        return scores(histories, Map.of());
    }

    @Override
    public float[][] scores(List<int[]> histories, Map<ActionFeature, List<long[]>> features) {
        int length = block.config().maxLength();
        try (NDManager batch = manager.newSubManager()) {
            Shape shape = new Shape(histories.size(), length);
            long[] rows = Histories.leftPad(histories, length);
            if (block.config().bidirectional()) {
                rows = Histories.askForNext(rows, length, SasRecConfig.maskToken(block.items()));
            }
            NDList inputs = new NDList(batch.create(rows, shape));
            for (ActionFeature f : block.config().features()) {
                List<long[]> values = features.get(f);
                if (values == null) {
                    throw new IllegalArgumentException("this model reads " + f + ": score with each action's");
                }
                inputs.add(batch.create(Histories.leftPadFeature(values, length), shape));
            }
            NDArray hidden = block.forward(new ParameterStore(batch, false), inputs, false).singletonOrThrow();
            NDArray last = hidden.get(new NDIndex(":, -1, :"));
            NDArray scores = last.matMul(block.outputEmbedding().transpose());
            float[] flat = scores.toFloatArray();
            int width = block.items() + 1;
            float[][] out = new float[histories.size()][];
            for (int r = 0; r < out.length; r++) {
                out[r] = java.util.Arrays.copyOfRange(flat, r * width, (r + 1) * width);
            }
            return out;
        }
    }

    @Override
    public String name() {
        return "sasrec";
    }
}
