package dev.sequor.trainer.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Groups training users into batches of similar history length, so that a batch is only as wide
 * as its longest history instead of the model's maxLength (most users of sparse data have a few
 * actions). Users are shuffled, sorted by length within windows of up to {@value #WINDOW_BATCHES}
 * batches (and at most 1/{@value #MIN_WINDOWS} of the users: sorting a whole small dataset would
 * give the same batches every epoch), and the batches are shuffled again, so every epoch sees a
 * different random order. With padding masked out of attention, cutting leading padding changes
 * no result mathematically; in floats the results vary slightly from run to run.
 */
final class LengthBuckets {

    static final int WINDOW_BATCHES = 50;
    /** At least this many windows per epoch. */
    static final int MIN_WINDOWS = 8;

    private LengthBuckets() {
    }

    /** The users of each batch (indices into {@code sequences}); a window of 1 batch gives plain random batches. */
    static List<int[]> batches(List<int[]> sequences, int batchSize, int maxLength, int windowBatches,
            SplittableRandom random) {
        int n = sequences.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, random);
        Comparator<Integer> byLength = Comparator.comparingInt(u -> inputLength(sequences.get(u), maxLength));
        List<int[]> batches = new ArrayList<>();
        int window = batchSize * Math.max(1, Math.min(windowBatches, n / batchSize / MIN_WINDOWS));
        for (int w = 0; w < n; w += window) {
            int end = Math.min(n, w + window);
            Arrays.sort(order, w, end, byLength);
            for (int from = w; from < end; from += batchSize) {
                int to = Math.min(end, from + batchSize);
                int[] batch = new int[to - from];
                for (int i = from; i < to; i++) {
                    batch[i - from] = order[i];
                }
                batches.add(batch);
            }
        }
        int[][] shuffled = batches.toArray(new int[0][]);
        shuffle(shuffled, random);
        return List.of(shuffled);
    }

    /** Columns a batch needs: its longest input (a training sequence minus its last item). */
    static int inputLength(List<int[]> sequences, int[] users, int maxLength) {
        int longest = 1;
        for (int u : users) {
            longest = Math.max(longest, inputLength(sequences.get(u), maxLength));
        }
        return longest;
    }

    /** Real (non-padding) training positions over all sequences: one per input item. */
    static long positions(List<int[]> sequences, int maxLength) {
        long total = 0;
        for (int[] s : sequences) {
            total += inputLength(s, maxLength);
        }
        return total;
    }

    private static int inputLength(int[] sequence, int maxLength) {
        return Math.min(maxLength, sequence.length - 1);
    }

    private static <T> void shuffle(T[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }
}
