package dev.sequor.api.v1alpha1;

/** How users are split between the champion and candidate versions. */
public enum Strategy {
    /** Everyone gets spec.model; no candidates. */
    Immediate,
    /** One candidate serves a weighted share of users; the champion the rest. */
    Canary,
    /** One or more candidates with fixed weights; the champion serves the rest. */
    ABTest,
    /** Everyone gets the champion; a share of requests is also sent to the candidate and compared. */
    Shadow
}
