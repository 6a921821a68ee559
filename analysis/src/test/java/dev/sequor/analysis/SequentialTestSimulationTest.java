package dev.sequor.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The statistical claims, proved by seeded simulation (fixed seeds: the numbers are the same on
 * every run; bench/sequential-test.sh prints them for docs/benchmarks.md).
 */
class SequentialTestSimulationTest {

    private static final SequentialTestSettings SETTINGS = SequentialTestSettings.forMinimumEffect(0.05, 0.01, 500);
    /** 2,000 A/A experiments, 100 looks each, 200 new trials per variant between looks. */
    private static final SequentialTestSimulation AA = new SequentialTestSimulation(2000, 100, 200);

    @Test
    void underNoDifferenceLookingEveryIntervalKeepsFalsePositivesAtOrBelowAlpha() {
        SequentialTestSimulation.Outcome outcome = AA.run(SETTINGS, 0.10, 0.10, 42);
        assertThat(outcome.msprtRejectionRate()).isLessThanOrEqualTo(SETTINGS.alpha());
        // The same data through a fixed-horizon z-test looked at every interval: several times alpha.
        assertThat(outcome.peekingZRejectionRate()).isGreaterThan(3 * SETTINGS.alpha());
    }

    @Test
    void aRealDifferenceIsFoundInTheRightDirection() {
        SequentialTestSimulation powerRuns = new SequentialTestSimulation(500, 100, 200);
        SequentialTestSimulation.Outcome large = powerRuns.run(SETTINGS, 0.10, 0.13, 7);
        assertThat(large.msprtRejectionRate()).isGreaterThan(0.95);
        assertThat(large.candidateBetterRate()).isEqualTo(large.msprtRejectionRate());
        SequentialTestSimulation.Outcome worse = powerRuns.run(SETTINGS, 0.13, 0.10, 8);
        assertThat(worse.msprtRejectionRate()).isGreaterThan(0.95);
        assertThat(worse.candidateBetterRate()).isZero();
        // A smaller effect takes longer to find.
        SequentialTestSimulation.Outcome small = powerRuns.run(SETTINGS, 0.10, 0.115, 9);
        assertThat(small.meanStoppingStep()).isGreaterThan(large.meanStoppingStep());
    }
}
