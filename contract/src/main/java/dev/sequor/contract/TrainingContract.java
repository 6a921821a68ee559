package dev.sequor.contract;

/**
 * The operator ↔ training Job contract: where the Job finds its data, what it tags the version it
 * registers with, and what its exit code means (the operator reads the outcome from the Job).
 */
public final class TrainingContract {

    /** The trainer's container in the Job's pod. */
    public static final String CONTAINER = "trainer";

    /** Where the base dataset's claim is mounted (read-only): {@code /sequor/data/CLAIM/PATH}. */
    public static final String DATA_MOUNT = "/sequor/data";

    /** Where the feedback log claim is mounted (read-only); every router pod's log is a folder under it. */
    public static final String FEEDBACK_MOUNT = "/sequor/feedback";

    /**
     * Where the trainer writes what the operator must learn even when the run registers nothing:
     * the container's termination message file, which Kubernetes copies into the pod's status.
     */
    public static final String REPORT_ENV = "SEQUOR_TRAINING_REPORT";
    public static final String REPORT_PATH = "/dev/termination-log";
    /**
     * A report line: a DP-SGD run trained on the model's data, {@code sequor.privacy.run=q:sigma:steps}
     * — written before the first step, so a run that fails or is rejected later is still counted.
     */
    public static final String PRIVACY_RUN_REPORT = "sequor.privacy.run=";

    /** A new version was registered and the candidate alias points at it. */
    public static final int EXIT_REGISTERED = 0;
    /** Training failed (data, registry, an error): retried up to the Job's backoff limit. */
    public static final int EXIT_FAILED = 1;
    /** The command line was wrong: retrying cannot help. */
    public static final int EXIT_USAGE = 2;
    /**
     * The new model was worse than the champion offline, on the same held-out data, by more than the
     * allowed regression: nothing was registered as candidate; retrying cannot help.
     */
    public static final int EXIT_WORSE_THAN_CHAMPION = 3;
    /**
     * The run would take the model's data over its privacy budget (the runs before it and this one,
     * composed): it did not train; retrying cannot help.
     */
    public static final int EXIT_OVER_BUDGET = 4;

    /** Registry tags of a version a training Job registered. */
    public static final String TAG_TRIGGER = "sequor.trigger";
    public static final String TAG_PARENT_VERSION = "sequor.parent_version";
    public static final String TAG_TRAINING_JOB = "sequor.training_job";
    public static final String TAG_DATA_FINGERPRINT = "sequor.data_fingerprint";
    /** This run's ε (differentially private runs only). */
    public static final String TAG_PRIVACY_EPSILON = "sequor.privacy.epsilon";
    /** This run's δ. */
    public static final String TAG_PRIVACY_DELTA = "sequor.privacy.delta";
    /**
     * Every DP-SGD run on the model's data up to and including this one, {@code q:sigma:steps;...}
     * (analysis' PrivacyLedger). On a version and its run: the ledger when it was trained. On the
     * registered model itself: the durable copy of the privacy ledger, written by each run before it
     * trains, from which the operator rebuilds status.
     */
    public static final String TAG_PRIVACY_LEDGER = "sequor.privacy.ledger";

    private TrainingContract() {
    }
}
