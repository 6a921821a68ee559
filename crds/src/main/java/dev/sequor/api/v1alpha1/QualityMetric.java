package dev.sequor.api.v1alpha1;

/** The online quality a sequential test compares between candidate and champion. */
public enum QualityMetric {
    /** Feedback events of the chosen type whose item was in the list the user was served, per list served. */
    HitRate,
    /** Feedback events of the chosen type per impression event. */
    ClickThroughRate
}
