package dev.sequor.analysis.rollout;

/** What one measurement says. */
public enum Verdict {
    /** Within its threshold. */
    PASS,
    /** Outside its threshold: counts toward the failure limit. */
    BREACH,
    /** No answer to judge: an empty result, NaN, or a query that failed. Never a pass, never a failure. */
    INCONCLUSIVE
}
