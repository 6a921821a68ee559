package dev.sequor.analysis.privacy;

import java.util.List;

/**
 * One DP-SGD training run as the accountant sees it: every step samples each user with
 * probability {@code sampleRate} (Poisson sampling), and {@code steps} steps add Gaussian noise of
 * {@code noiseMultiplier} times the clip to the clipped sum.
 */
public record DpSgdRun(double sampleRate, double noiseMultiplier, long steps) {

    public DpSgdRun {
        if (!(sampleRate > 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("the sample rate is in (0, 1], got " + sampleRate);
        }
        if (!(noiseMultiplier > 0) || Double.isInfinite(noiseMultiplier)) {
            throw new IllegalArgumentException("the noise multiplier is a positive number, got " + noiseMultiplier);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("a run has at least one step, got " + steps);
        }
    }

    /** {@code q:sigma:steps}, the one text form of a run (trainer option, registry tag, status). */
    public String format() {
        return sampleRate + ":" + noiseMultiplier + ":" + steps;
    }

    /** The inverse of {@link #format()}; a clear message for anything else. */
    public static DpSgdRun parse(String text) {
        String[] parts = text.trim().split(":");
        if (parts.length != 3) {
            throw new IllegalArgumentException("a DP-SGD run is q:sigma:steps (sample rate, noise multiplier, steps), got '"
                    + text + "'");
        }
        try {
            return new DpSgdRun(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Long.parseLong(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a DP-SGD run is q:sigma:steps with numbers, got '" + text + "'");
        }
    }

    public RdpCurve curve(List<Double> orders) {
        return RdpCurve.sampledGaussian(sampleRate, noiseMultiplier, steps, orders);
    }

    /** This run alone, over Opacus's orders. */
    public PrivacySpent epsilon(double delta) {
        return curve(RdpCurve.OPACUS_ORDERS).epsilon(delta);
    }
}
