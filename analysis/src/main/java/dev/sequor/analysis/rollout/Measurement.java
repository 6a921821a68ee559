package dev.sequor.analysis.rollout;

/**
 * One judged measurement of an analysis run.
 *
 * @param value what was measured (null when inconclusive)
 * @param threshold the bounds, e.g. {@code <= 0.01}
 * @param detail one line for status and Events
 */
public record Measurement(String name, Double value, String threshold, Verdict verdict, String detail) {
}
