package dev.sequor.analysis.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The accountant against the values Opacus and TF Privacy publish, to 1e-6. */
class RdpAccountantTest {

    /** TF Privacy's compute_dp_sgd_privacy orders: 1.25 .. 4.5, 5 .. 63, 128, 256, 512. */
    private static final List<Double> TF_PRIVACY_ORDERS = tfPrivacyOrders();

    @Test
    void opacusAccountantsTest() {
        // opacus/tests/accountants_test.py: q 0.04, sigma 1.5, int(90 / 0.04) steps, delta 1e-5.
        PrivacySpent spent = new DpSgdRun(0.04, 1.5, 2_250).epsilon(1e-5);
        assertThat(spent.epsilon()).isCloseTo(7.32911117143, within(1e-6));
    }

    @Test
    void tfPrivacyComputeDpSgdPrivacy() {
        assertThat(tfPrivacy(60_000, 150, 1.3, 15, 1e-5)).isCloseTo(0.7242234026109595, within(1e-6));
        assertThat(tfPrivacy(100_000, 100, 1.0, 30, 1e-7)).isCloseTo(1.4154988495444842, within(1e-6));
    }

    /** compute_dp_sgd_privacy(n, batch_size, noise_multiplier, epochs, delta): q = batch / n, ceil(epochs n / batch) steps. */
    private static double tfPrivacy(int n, int batch, double sigma, int epochs, double delta) {
        double q = batch / (double) n;
        long steps = (long) Math.ceil(epochs * (double) n / batch);
        return RdpCurve.sampledGaussian(q, sigma, steps, TF_PRIVACY_ORDERS).epsilon(delta).epsilon();
    }

    @Test
    void calibrationFindsOpacussNoiseForTargetEpsilon8() {
        // Opacus get_noise_multiplier(target_epsilon=8, target_delta=1e-5, sample_rate=0.04, epochs=90) -> 1.416.
        double sigma = NoiseCalibration.noiseMultiplier(8, 1e-5, 0.04, 2_250);
        assertThat(sigma).isCloseTo(1.416, within(0.0005));
        assertThat(new DpSgdRun(0.04, sigma, 2_250).epsilon(1e-5).epsilon()).isLessThanOrEqualTo(8)
                .isCloseTo(8, within(1e-6));
    }

    @Test
    void composingRunsIsTighterThanAddingTheirEpsilonsAndLooserThanEitherAlone() {
        DpSgdRun run = new DpSgdRun(0.01, 1.1, 5_000);
        double once = run.epsilon(1e-6).epsilon();
        RdpCurve twice = run.curve(RdpCurve.OPACUS_ORDERS).plus(run.curve(RdpCurve.OPACUS_ORDERS));
        double composed = twice.epsilon(1e-6).epsilon();
        assertThat(composed).isGreaterThan(once).isLessThan(2 * once);
        // Two runs of n steps are one run of 2n steps.
        assertThat(composed).isCloseTo(new DpSgdRun(0.01, 1.1, 10_000).epsilon(1e-6).epsilon(), within(1e-9));
    }

    @Test
    void fractionalAndIntegerOrdersAgreeWhereTheyMeet() {
        // The series for fractional orders approaches the exact sum for integer orders.
        double atTwo = SampledGaussianRdp.rdp(0.02, 1.2, 2.0);
        double nearTwo = SampledGaussianRdp.rdp(0.02, 1.2, 2.0 + 1e-7);
        assertThat(nearTwo).isCloseTo(atTwo, within(1e-6 * atTwo + 1e-12));
        assertThat(SampledGaussianRdp.rdp(1, 2, 3)).isEqualTo(3 / 8.0);
        assertThat(SampledGaussianRdp.rdp(0, 2, 3)).isZero();
    }

    @Test
    void impossibleSettingsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> new DpSgdRun(0, 1, 10)).hasMessageContaining("sample rate");
        assertThatThrownBy(() -> new DpSgdRun(0.1, 0, 10)).hasMessageContaining("noise multiplier");
        assertThatThrownBy(() -> new DpSgdRun(0.1, 1, 10).epsilon(1)).hasMessageContaining("delta");
        assertThatThrownBy(() -> NoiseCalibration.noiseMultiplier(0.01, 1e-5, 0.04, 2_250))
                .isInstanceOf(UnreachableEpsilonException.class).hasMessageContaining("cannot be reached");
    }

    private static List<Double> tfPrivacyOrders() {
        List<Double> orders = new ArrayList<>(List.of(1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 3.0, 3.5, 4.0, 4.5));
        for (int a = 5; a < 64; a++) {
            orders.add((double) a);
        }
        orders.addAll(List.of(128.0, 256.0, 512.0));
        return orders;
    }
}
