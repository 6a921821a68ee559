package dev.sequor.trainer.train;

import java.util.SplittableRandom;

/**
 * BERT4Rec's training task (Sun et al. 2019): some items of a history are replaced by the mask token
 * and the model is asked which items they were.
 */
final class Cloze {

    private Cloze() {
    }

    /**
     * Masks row {@code row} of {@code input} in place: each real item with probability {@code p}
     * (the last one when the draw masks none, so that every row teaches something and the task the
     * model is served for, the item after the history, is practised), recording the masked items
     * in {@code targets} (0 elsewhere).
     */
    static void mask(long[] input, long[] targets, int row, int length, double p, long maskToken,
            SplittableRandom random) {
        int from = row * length;
        int to = from + length;
        boolean any = false;
        for (int i = from; i < to; i++) {
            targets[i] = 0;
            if (input[i] != 0 && random.nextDouble() < p) {
                targets[i] = input[i];
                input[i] = maskToken;
                any = true;
            }
        }
        if (!any && input[to - 1] != 0) {
            targets[to - 1] = input[to - 1];
            input[to - 1] = maskToken;
        }
    }
}
