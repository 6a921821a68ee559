package dev.sequor.trainer.eval;

import dev.sequor.trainer.data.LeaveOneOutSplit;
import java.util.List;

/** Baseline: every user gets the items most frequent in the training data. */
public final class MostPopular implements Scorer {

    private final float[] counts;

    public MostPopular(LeaveOneOutSplit split) {
        counts = new float[split.items() + 1];
        for (int[] s : split.trainingSequences()) {
            for (int item : s) {
                counts[item]++;
            }
        }
    }

    @Override
    public float[][] scores(List<int[]> histories) {
        float[][] out = new float[histories.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = counts;
        }
        return out;
    }

    @Override
    public String name() {
        return "most-popular";
    }
}
