package dev.sequor.routing;

import static dev.sequor.routing.ShadowComparison.overlapAtK;
import static dev.sequor.routing.ShadowComparison.rankBiasedOverlap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShadowComparisonTest {

    @Test
    void overlapCountsCommonItemsInTheTopK() {
        assertThat(overlapAtK(List.of("a", "b", "c", "d"), List.of("d", "c", "x", "y"), 4)).isEqualTo(0.5);
        assertThat(overlapAtK(List.of("a", "b"), List.of("b", "a"), 2)).isEqualTo(1.0);
        assertThat(overlapAtK(List.of("a", "b", "c"), List.of("c", "b", "a"), 1)).isEqualTo(0.0);
    }

    @Test
    void rankBiasedOverlapMatchesHandComputedValues() {
        List<String> ranking = List.of("a", "b", "c", "d", "e");
        assertThat(rankBiasedOverlap(ranking, ranking, 0.9)).isCloseTo(1.0, within(1e-12));
        assertThat(rankBiasedOverlap(ranking, List.of("v", "w", "x", "y", "z"), 0.9)).isEqualTo(0.0);
        // [a, b] vs [b, a]: A_1 = 0, A_2 = 1, so RBO_ext = 1 * 0.81 + (0.1 / 0.9) * 0.81 = 0.9.
        assertThat(rankBiasedOverlap(List.of("a", "b"), List.of("b", "a"), 0.9)).isCloseTo(0.9, within(1e-12));
    }

    @Test
    void aSwapAtTheTopCostsMoreThanAtTheBottom() {
        List<String> ranking = List.of("a", "b", "c", "d", "e");
        double top = rankBiasedOverlap(ranking, List.of("b", "a", "c", "d", "e"), 0.9);
        double bottom = rankBiasedOverlap(ranking, List.of("a", "b", "c", "e", "d"), 0.9);
        assertThat(top).isLessThan(bottom).isLessThan(1.0);
        assertThat(rankBiasedOverlap(List.of("b", "a", "c", "d", "e"), ranking, 0.9)).isCloseTo(top, within(1e-12));
    }
}
