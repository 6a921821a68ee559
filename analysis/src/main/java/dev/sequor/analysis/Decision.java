package dev.sequor.analysis;

/** What a look at the test says. */
public enum Decision {
    /** Not enough evidence either way yet: keep collecting. */
    CONTINUE,
    /** The candidate's rate is higher than the champion's, at the test's alpha. */
    CANDIDATE_BETTER,
    /** The candidate's rate is lower than the champion's, at the test's alpha. */
    CANDIDATE_WORSE
}
