package dev.sequor.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LengthBucketsTest {

    private static final int MAX_LENGTH = 50;

    @Test
    void everyUserOncePerEpochInBatchesOfSimilarLength() {
        List<int[]> sequences = skewedLengths(40_000, new SplittableRandom(1));

        List<int[]> batches = LengthBuckets.batches(sequences, 128, MAX_LENGTH, LengthBuckets.WINDOW_BATCHES, new SplittableRandom(2));

        int[] seen = new int[sequences.size()];
        long paddedCells = 0;
        for (int[] batch : batches) {
            assertThat(batch.length).isBetween(1, 128);
            for (int user : batch) {
                seen[user]++;
            }
            paddedCells += (long) batch.length * LengthBuckets.inputLength(sequences, batch, MAX_LENGTH);
        }
        assertThat(seen).containsOnly(1);
        long realCells = sequences.stream().mapToLong(s -> Math.min(MAX_LENGTH, s.length - 1)).sum();
        // Random batches of 128 would nearly all be 50 wide: most of the work would be padding.
        assertThat(paddedCells).isLessThan(2 * realCells);
    }

    @Test
    void theOrderDependsOnTheRandomSource() {
        List<int[]> sequences = skewedLengths(2000, new SplittableRandom(1));

        List<int[]> a = LengthBuckets.batches(sequences, 64, MAX_LENGTH, LengthBuckets.WINDOW_BATCHES, new SplittableRandom(3));
        List<int[]> b = LengthBuckets.batches(sequences, 64, MAX_LENGTH, LengthBuckets.WINDOW_BATCHES, new SplittableRandom(3));
        List<int[]> c = LengthBuckets.batches(sequences, 64, MAX_LENGTH, LengthBuckets.WINDOW_BATCHES, new SplittableRandom(4));

        assertThat(flatten(a)).isEqualTo(flatten(b));
        assertThat(flatten(a)).isNotEqualTo(flatten(c));
    }

    @Test
    void aSmallDatasetIsNotCutIntoTheSameBatchesEveryEpoch() {
        List<int[]> sequences = skewedLengths(1000, new SplittableRandom(1));

        Set<Set<Integer>> first = contents(LengthBuckets.batches(sequences, 128, MAX_LENGTH, LengthBuckets.WINDOW_BATCHES, new SplittableRandom(5)));
        Set<Set<Integer>> second = contents(LengthBuckets.batches(sequences, 128, MAX_LENGTH, LengthBuckets.WINDOW_BATCHES, new SplittableRandom(6)));

        assertThat(first).doesNotContainAnyElementsOf(second);
    }

    private static Set<Set<Integer>> contents(List<int[]> batches) {
        return batches.stream().map(b -> Arrays.stream(b).boxed().collect(Collectors.toSet()))
                .collect(Collectors.toSet());
    }

    /** Lengths like sparse interaction data: most users short, a long tail past maxLength. */
    private static List<int[]> skewedLengths(int users, SplittableRandom random) {
        List<int[]> out = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            int length = 2 + (int) Math.floor(-8 * Math.log(1 - random.nextDouble()));
            int[] s = new int[length];
            Arrays.fill(s, 1 + u % 100);
            out.add(s);
        }
        return out;
    }

    private static int[] flatten(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).toArray();
    }
}
