package dev.sequor.trainer.eval;

import java.util.List;

/** Scores every item (indices 0..items; 0 is padding and ignored) after each history. */
public interface Scorer {

    float[][] scores(List<int[]> histories);

    String name();
}
