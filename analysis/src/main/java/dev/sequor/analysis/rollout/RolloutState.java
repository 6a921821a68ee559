package dev.sequor.analysis.rollout;

import java.time.Instant;

/**
 * Where one candidate's rollout stands: what the operator keeps in status between looks.
 *
 * @param version the candidate version
 * @param step index into the plan's steps
 * @param startedAt when the candidate first served (its pods ready); null while waiting
 * @param stepStartedAt when the current step began
 * @param lastAnalysisAt the last analysis run, null before the first
 * @param failures guardrail breaches so far
 * @param inconclusive analysis runs in a row without data
 * @param pValue the sequential test's always-valid p-value so far (1 before any look)
 * @param lastRun the last analysis run (null before the first)
 * @param message why the rollout is where it is, in one line
 * @param finishedAt when it was promoted, rolled back or aborted
 */
public record RolloutState(String version, Phase phase, int step, Instant startedAt, Instant stepStartedAt,
        Instant lastAnalysisAt, int failures, int inconclusive, double pValue, AnalysisRun lastRun, String message,
        Instant finishedAt) {

    public static RolloutState waiting(String version) {
        return new RolloutState(version, Phase.Waiting, 0, null, null, null, 0, 0, 1, null,
                "Waiting for the candidate's pods to be ready.", null);
    }

    /** The candidate's share of users in this state. */
    public int weight(RolloutPlan plan) {
        return switch (phase) {
            case Progressing, Inconclusive, Paused -> plan.step(step).weight();
            default -> 0;
        };
    }

    RolloutState withPhase(Phase next, String why) {
        return new RolloutState(version, next, step, startedAt, stepStartedAt, lastAnalysisAt, failures, inconclusive,
                pValue, lastRun, why, finishedAt);
    }

    /** The same rollout ended (promoted, rolled back or aborted) now, for this reason. */
    public RolloutState finished(Phase end, String why, Instant now) {
        return new RolloutState(version, end, step, startedAt, stepStartedAt, lastAnalysisAt, failures, inconclusive,
                pValue, lastRun, why, now);
    }

    RolloutState atStep(int next, Instant now, String why) {
        return new RolloutState(version, Phase.Progressing, next, startedAt, now, lastAnalysisAt, failures,
                inconclusive, pValue, lastRun, why, finishedAt);
    }

    RolloutState analysed(AnalysisRun run, Instant now, int failures, int inconclusive, double pValue) {
        return new RolloutState(version, phase, step, startedAt, stepStartedAt, now, failures, inconclusive, pValue,
                run, message, finishedAt);
    }
}
