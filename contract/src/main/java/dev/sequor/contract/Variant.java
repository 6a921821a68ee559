package dev.sequor.contract;

/** A pod's role in a rollout: the {@code sequor.dev/variant} label and the {@code variant} metric label. */
public final class Variant {

    /** The version every user is served when no experiment runs. */
    public static final String CHAMPION = "champion";
    /** The usual name of the version under test in a canary or shadow run. */
    public static final String CANDIDATE = "candidate";

    private Variant() {
    }
}
