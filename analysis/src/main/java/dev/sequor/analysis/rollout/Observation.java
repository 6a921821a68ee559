package dev.sequor.analysis.rollout;

/**
 * What a metric query returned: a number, or why there is none (no series, NaN, the query
 * failed). Only a finite number is a value.
 */
public record Observation(double value, String missing) {

    public static Observation of(double value) {
        return Double.isFinite(value) ? new Observation(value, null)
                : new Observation(Double.NaN, "the query returned " + value);
    }

    public static Observation missing(String why) {
        return new Observation(Double.NaN, why);
    }

    public boolean present() {
        return missing == null;
    }
}
