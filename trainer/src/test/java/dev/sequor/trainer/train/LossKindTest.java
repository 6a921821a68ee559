package dev.sequor.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LossKindTest {

    @Test
    void theDefaultIsTheFullSoftmaxForSmallCataloguesAndTheSampledOneAboveOrUnderDp() {
        int limit = LossKind.FULL_SOFTMAX_MAX_ITEMS;
        assertThat(LossKind.AUTO.forCatalogue(1_682, false)).isEqualTo(LossKind.CE);
        assertThat(LossKind.AUTO.forCatalogue(limit, false)).isEqualTo(LossKind.CE);
        assertThat(LossKind.AUTO.forCatalogue(limit + 1, false)).isEqualTo(LossKind.SAMPLED_SOFTMAX);
        assertThat(LossKind.AUTO.forCatalogue(23_715, false)).isEqualTo(LossKind.SAMPLED_SOFTMAX);
        assertThat(LossKind.AUTO.forCatalogue(100, true)).as("DP-SGD cannot clip the full softmax per user")
                .isEqualTo(LossKind.SAMPLED_SOFTMAX);
    }

    @Test
    void aChosenLossIsKept() {
        for (LossKind chosen : new LossKind[] {LossKind.BCE, LossKind.CE, LossKind.SAMPLED_SOFTMAX}) {
            assertThat(chosen.forCatalogue(100, false)).isEqualTo(chosen);
            assertThat(chosen.forCatalogue(100_000, true)).isEqualTo(chosen);
        }
        assertThat(LossKind.parse("auto")).isEqualTo(LossKind.AUTO);
        assertThat(LossKind.parse("sampled-softmax").label()).isEqualTo("sampled-softmax");
    }
}
