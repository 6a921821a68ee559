package dev.sequor.analysis.rollout;

/** Where a rollout is. The last three are final for the candidate version (until a retry). */
public enum Phase {
    /** The candidate's pods are not ready yet: it serves nobody and nothing is measured. */
    Waiting,
    /** Serving its step's share; analysed every interval. */
    Progressing,
    /** Held at its step: the last analysis had no data to judge (why is in the message). */
    Inconclusive,
    /** Held at its step by a person; still analysed, and still rolled back on a breach. */
    Paused,
    /** Now the champion. */
    Promoted,
    /** Taken out by the analysis (a guardrail breach, or worse quality). */
    RolledBack,
    /** Taken out without a verdict against it: by a person, the inconclusive limit or the longest duration. */
    Aborted;

    public boolean finished() {
        return this == Promoted || this == RolledBack || this == Aborted;
    }
}
