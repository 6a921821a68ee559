package dev.sequor.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MixtureSprtTest {

    private static final SequentialTestSettings SETTINGS = SequentialTestSettings.forMinimumEffect(0.05, 0.01, 500);

    @Test
    void matchesTheClosedFormComputedByHand() {
        // champion 1000/10000 = 0.10, candidate 1150/10000 = 0.115; tau^2 = 1e-4.
        // V = 0.1*0.9/1e4 + 0.115*0.885/1e4 = 1.917775e-5; theta = 0.015.
        // log L = 0.5 ln(V/(V+tau2)) + tau2*theta^2/(2V(V+tau2)).
        double v = 0.1 * 0.9 / 1e4 + 0.115 * 0.885 / 1e4;
        double expectedLogLambda = 0.5 * Math.log(v / (v + 1e-4)) + 1e-4 * 0.015 * 0.015 / (2 * v * (v + 1e-4));
        SequentialResult r = new MixtureSprt(SETTINGS).evaluate(new Proportion(1000, 10_000), new Proportion(1150, 10_000), 1);
        assertThat(Math.log(r.likelihoodRatio())).isCloseTo(expectedLogLambda, within(1e-12));
        // The same formula evaluated independently, in Python's float arithmetic.
        assertThat(expectedLogLambda).isCloseTo(4.008841251769382, within(1e-12));
        assertThat(r.pValue()).isCloseTo(Math.exp(-expectedLogLambda), within(1e-12));
        assertThat(r.decision()).isEqualTo(Decision.CANDIDATE_BETTER);
        assertThat(r.effect()).isCloseTo(0.015, within(1e-12));
        assertThat(r.reason()).contains("always-valid p");
    }

    @Test
    void thePValueNeverRisesAndTheDirectionFollowsTheSign() {
        MixtureSprt test = new MixtureSprt(SETTINGS);
        SequentialResult strong = test.evaluate(new Proportion(1200, 10_000), new Proportion(1000, 10_000), 1);
        assertThat(strong.decision()).isEqualTo(Decision.CANDIDATE_WORSE);
        // A later look with weaker evidence keeps the smaller p-value: once decided, always decided.
        SequentialResult later = test.evaluate(new Proportion(2100, 20_000), new Proportion(2080, 20_000), strong.pValue());
        assertThat(later.pValue()).isEqualTo(strong.pValue());
    }

    @Test
    void noDecisionBeforeTheMinimumSampleOrWithoutVariation() {
        MixtureSprt test = new MixtureSprt(SETTINGS);
        SequentialResult early = test.evaluate(new Proportion(0, 100), new Proportion(90, 100), 1);
        assertThat(early.decision()).isEqualTo(Decision.CONTINUE);
        assertThat(early.reason()).contains("100 and 100 trials of the 500");
        assertThat(test.evaluate(new Proportion(0, 1000), new Proportion(0, 1000), 1).decision()).isEqualTo(Decision.CONTINUE);
    }

    @Test
    void refusesImpossibleCountsAndSettings() {
        assertThatThrownBy(() -> new Proportion(5, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SequentialTestSettings(1.5, 1e-4, 10)).hasMessageContaining("alpha");
        assertThatThrownBy(() -> new SequentialTestSettings(0.05, 0, 10)).hasMessageContaining("mixing variance");
    }
}
