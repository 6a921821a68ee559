package dev.sequor.analysis.rollout;

import dev.sequor.analysis.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The rollout decision: from the state kept in status, whether the candidate's pods are ready, a
 * person's action and the latest analysis run, the next state. Pure; time is passed in.
 *
 * <p>The order of judgement: a guardrail breach, then a worse quality, then missing data. Missing
 * data (an empty result, NaN, a failed query) is never success and never failure: the rollout holds
 * its step and says why, and aborts after the inconclusive limit of runs in a row.
 */
public final class Rollouts {

    private Rollouts() {
    }

    /** Whether an analysis run is due: one interval after the candidate first served, then every interval. */
    public static boolean analysisDue(RolloutPlan plan, RolloutState s, Instant now) {
        if (s.startedAt() == null || s.phase().finished() || s.phase() == Phase.Waiting) {
            return false;
        }
        Instant last = s.lastAnalysisAt() != null ? s.lastAnalysisAt() : s.startedAt();
        return !now.isBefore(last.plus(plan.interval()));
    }

    /** How long until the rollout wants to be looked at again (empty once finished). */
    public static Optional<Duration> untilNextLook(RolloutPlan plan, RolloutState s, Instant now) {
        if (s.phase().finished()) {
            return Optional.empty();
        }
        if (s.startedAt() == null) {
            return Optional.of(plan.interval());
        }
        Instant last = s.lastAnalysisAt() != null ? s.lastAnalysisAt() : s.startedAt();
        Duration wait = Duration.between(now, last.plus(plan.interval()));
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    }

    public static Transition advance(RolloutPlan plan, RolloutState state, boolean candidateReady,
            Optional<Action> action, Optional<AnalysisRun> run, Instant now) {
        List<Note> notes = new ArrayList<>();
        RolloutState s = action.map(a -> act(a, state, now, notes)).orElse(state);
        if (s.phase().finished()) {
            return new Transition(s, notes);
        }
        if (s.startedAt() == null) {
            if (candidateReady) {
                s = new RolloutState(s.version(), s.phase() == Phase.Paused ? Phase.Paused : Phase.Progressing, 0, now,
                        now, null, 0, 0, 1, null, describeStep(plan, 0), null);
                notes.add(new Note(RolloutEvent.STARTED, "Rollout of version " + s.version() + " started: "
                        + describeStep(plan, 0)));
            }
            return new Transition(s, notes);
        }
        if (run.isPresent()) {
            s = judge(plan, s, run.get(), now, notes);
        }
        if (!s.phase().finished() && plan.maxDuration() != null && !now.isBefore(s.startedAt().plus(plan.maxDuration()))) {
            String why = "Ran for its longest duration (" + text(plan.maxDuration()) + ") without a decision"
                    + (plan.strategy() == Strategy.AB_TEST ? ": no significant difference from the champion." : ".");
            s = s.finished(Phase.Aborted, why, now);
            notes.add(new Note(RolloutEvent.ABORTED, why));
        }
        return new Transition(s, notes);
    }

    private static RolloutState act(Action action, RolloutState s, Instant now, List<Note> notes) {
        boolean active = !s.phase().finished();
        switch (action) {
            case PROMOTE -> {
                if (active) {
                    notes.add(new Note(RolloutEvent.PROMOTED, "Version " + s.version() + " promoted by hand."));
                    return s.finished(Phase.Promoted, "Promoted by hand.", now);
                }
            }
            case ABORT -> {
                if (active) {
                    notes.add(new Note(RolloutEvent.ABORTED, "Rollout of version " + s.version() + " aborted by hand."));
                    return s.finished(Phase.Aborted, "Aborted by hand.", now);
                }
            }
            case PAUSE -> {
                if (active && s.phase() != Phase.Paused) {
                    notes.add(new Note(RolloutEvent.PAUSED, "Rollout of version " + s.version() + " paused by hand."));
                    return s.withPhase(Phase.Paused, "Paused by hand: the weight holds; a guardrail breach still "
                            + "rolls the candidate back.");
                }
            }
            case RESUME -> {
                if (s.phase() == Phase.Paused || s.phase() == Phase.Inconclusive) {
                    notes.add(new Note(RolloutEvent.RESUMED, "Rollout of version " + s.version() + " resumed by hand."));
                    RolloutState resumed = s.startedAt() == null ? s.withPhase(Phase.Waiting, s.message())
                            : s.withPhase(Phase.Progressing, "Resumed by hand.");
                    return new RolloutState(resumed.version(), resumed.phase(), resumed.step(), resumed.startedAt(),
                            resumed.stepStartedAt(), resumed.lastAnalysisAt(), resumed.failures(), 0,
                            resumed.pValue(), resumed.lastRun(), resumed.message(), null);
                }
            }
            case RETRY -> {
                if (s.phase() == Phase.RolledBack || s.phase() == Phase.Aborted) {
                    notes.add(new Note(RolloutEvent.RESUMED, "Rollout of version " + s.version() + " retried by hand."));
                    return RolloutState.waiting(s.version());
                }
            }
            default -> throw new IllegalStateException("unknown action " + action);
        }
        return s;
    }

    private static RolloutState judge(RolloutPlan plan, RolloutState s, AnalysisRun run, Instant now, List<Note> notes) {
        List<Measurement> breaches = run.with(Verdict.BREACH);
        QualityLook quality = run.quality().orElse(null);
        boolean paused = s.phase() == Phase.Paused;
        List<String> missing = new ArrayList<>(run.with(Verdict.INCONCLUSIVE).stream().map(Measurement::detail).toList());
        if (quality != null && quality.verdict() == Verdict.INCONCLUSIVE) {
            missing.add(quality.detail());
        }
        int failures = s.failures() + breaches.size();
        int inconclusive = !missing.isEmpty() && !paused ? s.inconclusive() + 1 : 0;
        double pValue = quality != null && quality.result() != null ? quality.result().pValue() : s.pValue();
        RolloutState a = s.analysed(run, now, failures, inconclusive, pValue);

        if (!breaches.isEmpty()) {
            String what = breaches.stream().map(Measurement::detail).collect(Collectors.joining("; "));
            if (failures >= plan.failureLimit()) {
                String why = "Guardrail breached: " + what + " (failure " + failures + " of limit "
                        + plan.failureLimit() + ").";
                notes.add(new Note(RolloutEvent.ROLLED_BACK, "Version " + s.version() + " rolled back. " + why));
                return a.finished(Phase.RolledBack, why, now);
            }
            String why = "Guardrail breached: " + what + " (failure " + failures + " of limit " + plan.failureLimit()
                    + "); held at step " + (s.step() + 1) + ".";
            notes.add(new Note(RolloutEvent.GUARDRAIL_BREACHED, why));
            return a.withPhase(paused ? Phase.Paused : Phase.Progressing, why);
        }
        if (quality != null && quality.verdict() == Verdict.BREACH) {
            String why = "Quality worse than the champion: " + quality.result().reason() + ".";
            notes.add(new Note(RolloutEvent.ROLLED_BACK, "Version " + s.version() + " rolled back. " + why));
            return a.finished(Phase.RolledBack, why, now);
        }
        if (!missing.isEmpty()) {
            String what = String.join("; ", missing);
            if (paused) {
                return a.withPhase(Phase.Paused, "Paused by hand; the last analysis was inconclusive: " + what + ".");
            }
            if (inconclusive >= plan.inconclusiveLimit()) {
                String why = "Analysis inconclusive " + inconclusive + " times in a row (limit "
                        + plan.inconclusiveLimit() + "): " + what + ".";
                notes.add(new Note(RolloutEvent.ABORTED, "Rollout of version " + s.version() + " aborted. " + why));
                return a.finished(Phase.Aborted, why, now);
            }
            String why = "Held at step " + (s.step() + 1) + ": analysis inconclusive (" + inconclusive + " of limit "
                    + plan.inconclusiveLimit() + "): " + what + ".";
            if (s.phase() != Phase.Inconclusive) {
                notes.add(new Note(RolloutEvent.INCONCLUSIVE, why));
            }
            return a.withPhase(Phase.Inconclusive, why);
        }
        String summary = summary(run);
        if (paused) {
            return a.withPhase(Phase.Paused, "Paused by hand; analysis passing: " + summary + ".");
        }
        if (s.phase() == Phase.Inconclusive) {
            notes.add(new Note(RolloutEvent.RESUMED, "Analysis has data again; rollout of version " + s.version()
                    + " resumed at step " + (s.step() + 1) + "."));
        }
        boolean pauseOver = !now.isBefore(s.stepStartedAt().plus(plan.step(s.step()).pause()));
        return switch (plan.strategy()) {
            case CANARY -> canary(plan, a, quality, pauseOver, summary, now, notes);
            case AB_TEST -> {
                if (pauseOver && quality.result().decision() == Decision.CANDIDATE_BETTER) {
                    yield promote(a, "Better than the champion: " + quality.result().reason() + ".", now, notes);
                }
                yield a.withPhase(Phase.Progressing, "A/B test at " + plan.step(0).weight() + "%: " + summary + ".");
            }
            case SHADOW -> pauseOver
                    ? promote(a, "Compared for " + text(plan.step(0).pause()) + " with every guardrail passing: " + summary
                            + ".", now, notes)
                    : a.withPhase(Phase.Progressing, "Shadow comparison: " + summary + ".");
        };
    }

    private static RolloutState canary(RolloutPlan plan, RolloutState a, QualityLook quality, boolean pauseOver,
            String summary, Instant now, List<Note> notes) {
        if (!pauseOver) {
            return a.withPhase(Phase.Progressing, describeStep(plan, a.step()) + " Analysis passing: " + summary + ".");
        }
        if (!plan.lastStep(a.step())) {
            String why = describeStep(plan, a.step() + 1);
            notes.add(new Note(RolloutEvent.STEP_ADVANCED, "Version " + a.version() + ": " + why));
            return a.atStep(a.step() + 1, now, why + " Analysis passing: " + summary + ".");
        }
        if (quality != null && quality.collecting()) {
            return a.withPhase(Phase.Progressing, "Last step done; the quality test is still collecting: "
                    + quality.detail() + ".");
        }
        return promote(a, "Passed every step: " + summary + ".", now, notes);
    }

    private static RolloutState promote(RolloutState a, String why, Instant now, List<Note> notes) {
        notes.add(new Note(RolloutEvent.PROMOTED, "Version " + a.version() + " promoted. " + why));
        return a.finished(Phase.Promoted, why, now);
    }

    private static String describeStep(RolloutPlan plan, int step) {
        Step s = plan.step(step);
        return plan.strategy() == Strategy.SHADOW ? "Shadow comparison for at least " + text(s.pause()) + "."
                : "Step " + (step + 1) + " of " + plan.steps().size() + ": the candidate serves " + s.weight()
                        + "% of users for at least " + text(s.pause()) + ".";
    }

    /** A duration as spec writes it: 90s, 10m, 1h30m. */
    public static String text(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        long h = d.toHours();
        int m = d.toMinutesPart();
        int sec = d.toSecondsPart();
        int ms = d.toMillisPart();
        if (h > 0) {
            b.append(h).append('h');
        }
        if (m > 0) {
            b.append(m).append('m');
        }
        if (sec > 0) {
            b.append(sec).append('s');
        }
        if (ms > 0) {
            b.append(ms).append("ms");
        }
        return b.toString();
    }

    private static String summary(AnalysisRun run) {
        List<String> parts = new ArrayList<>(run.guardrails().stream().map(Measurement::detail).toList());
        run.quality().ifPresent(q -> parts.add(q.detail()));
        return parts.isEmpty() ? "no checks configured" : String.join("; ", parts);
    }
}
