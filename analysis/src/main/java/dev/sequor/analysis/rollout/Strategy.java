package dev.sequor.analysis.rollout;

/** How a rollout reaches its decision. */
public enum Strategy {
    /** Through every step while the analysis passes, then promoted unless the test found it worse. */
    CANARY,
    /** One fixed split until the sequential test decides (or the longest duration ends: aborted). */
    AB_TEST,
    /** Mirrored, never serving users; promoted when the comparison time ends with the guardrails passing. */
    SHADOW
}
