package dev.sequor.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClozeTest {

    private static final long MASK = 101;

    @Test
    void masksRealItemsAtTheRateAskedAndRemembersThem() {
        SplittableRandom random = new SplittableRandom(1);
        int length = 20;
        int rows = 2_000;
        long[] input = new long[rows * length];
        long[] original = new long[input.length];
        for (int r = 0; r < rows; r++) {
            // Rows of 5 to 20 real items, left-padded.
            int real = 5 + r % 16;
            for (int i = length - real; i < length; i++) {
                input[r * length + i] = 1 + random.nextInt(100);
            }
        }
        System.arraycopy(input, 0, original, 0, input.length);
        long[] targets = new long[input.length];
        targets[0] = 42; // stale values are overwritten
        for (int r = 0; r < rows; r++) {
            Cloze.mask(input, targets, r, length, 0.2, MASK, random);
        }
        long real = 0;
        long masked = 0;
        for (int i = 0; i < input.length; i++) {
            if (original[i] == 0) {
                assertThat(input[i]).as("padding stays padding").isZero();
                assertThat(targets[i]).isZero();
                continue;
            }
            real++;
            if (input[i] == MASK) {
                masked++;
                assertThat(targets[i]).isEqualTo(original[i]);
            } else {
                assertThat(input[i]).isEqualTo(original[i]);
                assertThat(targets[i]).isZero();
            }
        }
        // 0.2 of the items, plus the last one of the rows where no draw hit (0.8^5 of the shortest rows at most).
        assertThat((double) masked / real).isCloseTo(0.2, within(0.015));
    }

    @Test
    void aRowTheDrawsMissLosesItsLastItem() {
        long[] input = {0, 0, 4, 5, 6};
        long[] targets = new long[5];
        Cloze.mask(input, targets, 0, 5, 1e-9, MASK, new SplittableRandom(3));
        assertThat(input).containsExactly(0, 0, 4, 5, MASK);
        assertThat(targets).containsExactly(0, 0, 0, 0, 6);
    }
}
