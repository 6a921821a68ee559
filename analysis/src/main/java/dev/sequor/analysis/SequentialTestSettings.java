package dev.sequor.analysis;

/**
 * The mixture SPRT's settings.
 *
 * @param alpha the false-positive rate it guarantees however often it is looked at
 * @param mixingVariance τ², the variance of the normal prior over the true difference; the test is
 *        most sensitive to differences of about τ
 * @param minimumTrials trials each variant needs before any decision (the variance estimate of a
 *        proportion is poor below a few hundred)
 */
public record SequentialTestSettings(double alpha, double mixingVariance, long minimumTrials) {

    public SequentialTestSettings {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        if (!(mixingVariance > 0)) {
            throw new IllegalArgumentException("mixing variance must be positive, got " + mixingVariance);
        }
        if (minimumTrials < 1) {
            throw new IllegalArgumentException("minimum trials must be at least 1, got " + minimumTrials);
        }
    }

    /** τ set to the smallest difference worth detecting (τ² = effect²). */
    public static SequentialTestSettings forMinimumEffect(double alpha, double minimumEffect, long minimumTrials) {
        return new SequentialTestSettings(alpha, minimumEffect * minimumEffect, minimumTrials);
    }
}
