package dev.sequor.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SyntheticDataTest {

    @Test
    void everyActionHasATimeInOrderAndAnEventType() {
        Interactions data = SyntheticData.generate(SyntheticData.Settings.small(1));
        assertThat(data.users()).isEqualTo(1000);
        assertThat(data.eventTypes()).containsExactly("view", "cart", "purchase");
        long breaks = 0;
        long gaps = 0;
        int[] counts = new int[4];
        for (int u = 0; u < data.users(); u++) {
            long[] t = data.times().get(u);
            int[] e = data.events().get(u);
            assertThat(t).hasSameSizeAs(data.sequences().get(u));
            for (int i = 0; i < t.length; i++) {
                counts[e[i]]++;
                if (i > 0) {
                    assertThat(t[i]).isGreaterThan(t[i - 1]);
                    gaps++;
                    breaks += t[i] - t[i - 1] >= 86_400 ? 1 : 0;
                }
            }
        }
        // Sessions: about a quarter of the gaps are a day or more, as the settings ask.
        assertThat((double) breaks / gaps).isBetween(0.22, 0.28);
        assertThat(counts[0]).isZero();
        assertThat(counts[1]).isGreaterThan(counts[2]).isGreaterThan(0);
        assertThat(counts[3]).isGreaterThan(0);
    }

    @Test
    void theSameSeedGivesTheSameData() {
        assertThat(SyntheticData.generate(SyntheticData.Settings.small(4)).fingerprint())
                .isEqualTo(SyntheticData.generate(SyntheticData.Settings.small(4)).fingerprint())
                .isNotEqualTo(SyntheticData.generate(SyntheticData.Settings.small(5)).fingerprint());
    }
}
