package dev.sequor.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.sequor.trainer.eval.Scorer;
import java.util.List;

/** Scores the catalogue with a SASRec block in inference mode: last hidden state · item embeddings. */
public final class SasRecScorer implements Scorer {

    private final SasRecBlock block;
    private final NDManager manager;

    public SasRecScorer(SasRecBlock block, NDManager manager) {
        this.block = block;
        this.manager = manager;
    }

    @Override
    public float[][] scores(List<int[]> histories) {
        int length = block.config().maxLength();
        try (NDManager batch = manager.newSubManager()) {
            NDArray input = batch.create(Histories.leftPad(histories, length), new Shape(histories.size(), length));
            NDArray hidden = block.forward(new ParameterStore(batch, false), new NDList(input), false)
                    .singletonOrThrow();
            NDArray last = hidden.get(new NDIndex(":, -1, :"));
            NDArray scores = last.matMul(block.itemEmbedding().getArray().transpose());
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
