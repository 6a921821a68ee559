package dev.sequor.analysis.retraining;

/** What started a training run; the labels are what status, tags and Events say. */
public enum TriggerKind {
    MANUAL("manual"),
    METRIC("metric"),
    SCHEDULE("schedule"),
    DATA_VOLUME("dataVolume");

    private final String label;

    TriggerKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
