package dev.sequor.analysis.rollout;

/** What happened to a rollout, as the reason of an Event. The strings are promised stable. */
public enum RolloutEvent {
    STARTED("RolloutStarted", false),
    STEP_ADVANCED("RolloutStepAdvanced", false),
    PAUSED("RolloutPaused", false),
    RESUMED("RolloutResumed", false),
    INCONCLUSIVE("AnalysisInconclusive", true),
    GUARDRAIL_BREACHED("GuardrailBreached", true),
    PROMOTED("RolloutPromoted", false),
    ROLLED_BACK("RolloutRolledBack", true),
    ABORTED("RolloutAborted", true);

    private final String reason;
    private final boolean warning;

    RolloutEvent(String reason, boolean warning) {
        this.reason = reason;
        this.warning = warning;
    }

    public String reason() {
        return reason;
    }

    public boolean warning() {
        return warning;
    }
}
