package dev.sequor.analysis.privacy;

import java.util.List;

/** The noise a DP-SGD run needs for a target ε: the smallest noise multiplier that keeps ε within it. */
public final class NoiseCalibration {

    /** Noise multipliers above this are not searched: the run would learn nothing. */
    static final double MAX_NOISE_MULTIPLIER = 5_000;

    private NoiseCalibration() {
    }

    /**
     * The smallest noise multiplier (to a relative 1e-9) with which {@code steps} steps at sample rate
     * {@code q}, composed after {@code spent} (the ledger's runs on the same data; a zero curve for
     * none), stay within {@code targetEpsilon} at {@code delta}.
     *
     * @throws UnreachableEpsilonException when no noise reaches the target
     */
    public static double noiseMultiplier(double targetEpsilon, double delta, double q, long steps, RdpCurve spent) {
        if (!(targetEpsilon > 0)) {
            throw new IllegalArgumentException("the target epsilon is positive, got " + targetEpsilon);
        }
        List<Double> orders = spent.orders();
        double low = 0;
        double high = 1;
        while (epsilon(q, high, steps, spent, delta) > targetEpsilon) {
            low = high;
            high *= 2;
            if (high > MAX_NOISE_MULTIPLIER) {
                PrivacySpent floor = spent.plus(RdpCurve.sampledGaussian(q, MAX_NOISE_MULTIPLIER, steps, orders))
                        .epsilon(delta);
                throw new UnreachableEpsilonException(String.format(java.util.Locale.ROOT,
                        "epsilon %s at delta %s cannot be reached: even noise multiplier %.0f gives %.4f "
                                + "(sample rate %.6f, %d steps%s)", targetEpsilon, delta, MAX_NOISE_MULTIPLIER,
                        floor.epsilon(), q, steps, spent.equals(RdpCurve.zero(orders)) ? ""
                                : ", after the privacy already spent"));
            }
        }
        while ((high - low) > 1e-9 * high) {
            double mid = (low + high) / 2;
            if (epsilon(q, mid, steps, spent, delta) > targetEpsilon) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return high;
    }

    /** The same, for a run on data nothing has spent privacy on yet, over Opacus's orders. */
    public static double noiseMultiplier(double targetEpsilon, double delta, double q, long steps) {
        return noiseMultiplier(targetEpsilon, delta, q, steps, RdpCurve.zero(RdpCurve.OPACUS_ORDERS));
    }

    private static double epsilon(double q, double sigma, long steps, RdpCurve spent, double delta) {
        return spent.plus(RdpCurve.sampledGaussian(q, sigma, steps, spent.orders())).epsilon(delta).epsilon();
    }
}
