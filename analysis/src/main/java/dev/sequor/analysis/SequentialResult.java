package dev.sequor.analysis;

/**
 * One look at the test.
 *
 * @param effect the estimated difference, candidate rate minus champion rate
 * @param standardError its estimated standard error
 * @param likelihoodRatio the mixture likelihood ratio Λ (the test statistic)
 * @param pValue the always-valid p-value: the running minimum of 1/Λ over every look so far
 * @param decision what to do
 * @param reason one sentence for status and Events
 */
public record SequentialResult(double effect, double standardError, double likelihoodRatio, double pValue,
        Decision decision, String reason) {
}
