package dev.sequor.trainer.privacy;

import dev.sequor.analysis.privacy.DpSgdRun;
import dev.sequor.analysis.privacy.NoiseCalibration;
import dev.sequor.analysis.privacy.PrivacySpent;
import dev.sequor.analysis.privacy.RdpCurve;
import java.util.Locale;

/**
 * A user-level DP-SGD run, fixed before training: each step samples every user with probability
 * {@code sampleRate} (expected batch / users), {@code steps} = epochs × round(users / expected
 * batch), and the noise multiplier is the smallest that keeps this run within the target ε at δ.
 */
public record DpSgdPlan(double targetEpsilon, double delta, double maxGradNorm, int expectedBatch, long users,
        int stepsPerEpoch, long steps, double sampleRate, double noiseMultiplier) {

    /** The accountant that computed ε (recorded with the model). */
    public static final String ACCOUNTANT = "rdp-sampled-gaussian (Mironov 2019; Balle et al. 2020 conversion; Opacus orders)";

    /**
     * Calibrates the noise for a run. Refuses impossible settings before any training.
     *
     * @throws IllegalArgumentException with what is wrong (δ not in (0, 1), ε not positive, clip not
     *     positive, an ε that no noise reaches with this data and these epochs)
     */
    public static DpSgdPlan calibrate(double targetEpsilon, double delta, double maxGradNorm, int expectedBatch,
            long users, int epochs) {
        if (!(targetEpsilon > 0) || Double.isInfinite(targetEpsilon)) {
            throw new IllegalArgumentException("the target epsilon must be positive, got " + targetEpsilon);
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be between 0 and 1 (exclusive), got " + delta);
        }
        if (delta >= 1.0 / users) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "delta %s is not below 1/users (%d users): "
                    + "a delta that large allows releasing a user's data outright", delta, users));
        }
        if (!(maxGradNorm > 0) || Double.isInfinite(maxGradNorm)) {
            throw new IllegalArgumentException("the clip (max gradient norm) must be positive, got " + maxGradNorm);
        }
        if (expectedBatch > users) {
            throw new IllegalArgumentException("the batch (" + expectedBatch + ") is larger than the " + users + " users");
        }
        int stepsPerEpoch = (int) Math.max(1, Math.round(users / (double) expectedBatch));
        long steps = (long) stepsPerEpoch * epochs;
        double q = expectedBatch / (double) users;
        double sigma = NoiseCalibration.noiseMultiplier(targetEpsilon, delta, q, steps);
        return new DpSgdPlan(targetEpsilon, delta, maxGradNorm, expectedBatch, users, stepsPerEpoch, steps, q, sigma);
    }

    /** The run as the accountant and the ledger see it. */
    public DpSgdRun run() {
        return new DpSgdRun(sampleRate, noiseMultiplier, steps);
    }

    /** ε this run alone spends at δ (at most the target). */
    public PrivacySpent spent() {
        return run().curve(RdpCurve.OPACUS_ORDERS).epsilon(delta);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "user-level DP-SGD: epsilon %.3f at delta %.2e, noise multiplier %.4f, "
                + "clip %s, sample rate %.5f (expected batch %d of %d users), %d steps", spent().epsilon(), delta,
                noiseMultiplier, maxGradNorm, sampleRate, expectedBatch, users, steps);
    }
}
