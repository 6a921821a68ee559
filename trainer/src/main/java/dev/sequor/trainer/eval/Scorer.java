package dev.sequor.trainer.eval;

import dev.sequor.trainer.data.ActionFeature;
import java.util.List;
import java.util.Map;

/** Scores every item (indices 0..items; 0 is padding and ignored) after each history. */
public interface Scorer {

    float[][] scores(List<int[]> histories);

    /**
     * The same, with what the data has of each action besides its item ({@code features}, each
     * list parallel to {@code histories}); a scorer that does not read a feature ignores it.
     */
    default float[][] scores(List<int[]> histories, Map<ActionFeature, List<long[]>> features) {
        return scores(histories);
    }

    String name();
}
