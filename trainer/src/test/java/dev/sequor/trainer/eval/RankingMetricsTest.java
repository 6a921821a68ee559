package dev.sequor.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sequor.modelpackage.ItemVocabulary;
import dev.sequor.trainer.data.Interactions;
import dev.sequor.trainer.data.LeaveOneOutSplit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Metrics checked against values computed by hand. */
class RankingMetricsTest {

    @Test
    void ndcgAndHitRateOfKnownRanks() {
        assertThat(RankingMetrics.ndcg(0, 10)).isEqualTo(1.0);
        assertThat(RankingMetrics.ndcg(1, 10)).isCloseTo(1 / (Math.log(3) / Math.log(2)), within(1e-12));
        assertThat(RankingMetrics.ndcg(1, 10)).isCloseTo(0.6309, within(1e-4));
        assertThat(RankingMetrics.ndcg(9, 10)).isCloseTo(0.2891, within(1e-4));
        assertThat(RankingMetrics.ndcg(10, 10)).isZero();
        assertThat(RankingMetrics.hitRate(9, 10)).isEqualTo(1.0);
        assertThat(RankingMetrics.hitRate(10, 10)).isZero();
    }

    @Test
    void rankCountsHigherScoresAndHalfTheTies() {
        float[] scores = {0, 0.9f, 0.5f, 0.5f, 0.5f, 0.1f};
        assertThat(RankingMetrics.rank(scores, 2, new int[] {1, 3, 4, 5})).isEqualTo(1 + 1);
        assertThat(RankingMetrics.rank(scores, 1, new int[] {2, 3, 4, 5})).isZero();
        assertThat(RankingMetrics.rank(scores, 5, new int[] {1, 2, 3, 4})).isEqualTo(4);
    }

    @Test
    void aNanScoreIsNeverAHit() {
        float[] scores = {0, Float.NaN, 0.5f, Float.NaN};
        assertThat(RankingMetrics.rank(scores, 1, new int[] {2, 3})).isEqualTo(2);
        assertThat(RankingMetrics.rank(scores, 2, new int[] {1, 3})).isEqualTo(2);
    }

    @Test
    void evaluatorOnAHandMadeCase() {
        // Items 1..6. User a: 1 2 3 (valid 2, test 3). User b: 4 5 6 (valid 5, test 6).
        ItemVocabulary items = new ItemVocabulary();
        for (int i = 1; i <= 6; i++) {
            items.add("i" + i);
        }
        LeaveOneOutSplit split = LeaveOneOutSplit.of(new Interactions(List.of("a", "b"),
                List.of(new int[] {1, 2, 3}, new int[] {4, 5, 6}), items));
        // Fixed scores: item i scores i, so higher indices rank first.
        Scorer byIndex = new Scorer() {
            @Override
            public float[][] scores(List<int[]> histories) {
                float[][] out = new float[histories.size()][7];
                for (float[] row : out) {
                    for (int i = 0; i < 7; i++) {
                        row[i] = i;
                    }
                }
                return out;
            }

            @Override
            public String name() {
                return "by-index";
            }
        };
        EvalResult test = new Evaluator(split, 1, 2, 0).test(byIndex);
        // a: history {1,2}, target 3; unseen others 4,5,6 all score higher -> rank 3, no hit.
        // b: history {4,5}, target 6; unseen others 1,2,3 score lower -> rank 0, hit, NDCG 1.
        assertThat(test.hitRateFull()).isEqualTo(0.5);
        assertThat(test.ndcgFull()).isEqualTo(0.5);
        EvalResult validation = new Evaluator(split, 10, 2, 0).validation(byIndex);
        // a: history {1}, target 2; higher unseen: 3,4,5,6 -> rank 4 -> NDCG 1/log2(6).
        // b: history {4}, target 5; higher unseen: 6 -> rank 1 -> NDCG 1/log2(3).
        double expected = (1 / (Math.log(6) / Math.log(2)) + 1 / (Math.log(3) / Math.log(2))) / 2;
        assertThat(validation.ndcgFull()).isCloseTo(expected, within(1e-12));
        assertThat(validation.hitRateFull()).isEqualTo(1.0);
    }
}
