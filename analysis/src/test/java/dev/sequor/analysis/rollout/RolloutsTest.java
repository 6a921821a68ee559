package dev.sequor.analysis.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequor.analysis.SequentialTestSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RolloutsTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Guardrail ERRORS = new Guardrail("error-rate", 0.01, null);
    private static final SequentialTestSettings TEST = SequentialTestSettings.forMinimumEffect(0.05, 0.02, 200);
    private static final RolloutPlan CANARY = new RolloutPlan(Strategy.CANARY,
            List.of(new Step(10, Duration.ofSeconds(20)), new Step(50, Duration.ofSeconds(20))), INTERVAL, 1, 3, null,
            Optional.empty());

    private static Transition advance(RolloutPlan plan, RolloutState s, AnalysisRun run, Instant at) {
        return Rollouts.advance(plan, s, true, Optional.empty(), Optional.ofNullable(run), at);
    }

    private static AnalysisRun errors(double value) {
        return new AnalysisRun(List.of(ERRORS.judge(Observation.of(value))), Optional.empty());
    }

    private static AnalysisRun noData() {
        return new AnalysisRun(List.of(ERRORS.judge(Observation.missing("no series for error-rate"))), Optional.empty());
    }

    private static RolloutState started(RolloutPlan plan) {
        Transition t = Rollouts.advance(plan, RolloutState.waiting("8"), true, Optional.empty(), Optional.empty(), T0);
        assertThat(t.notes()).extracting(Note::event).containsExactly(RolloutEvent.STARTED);
        return t.state();
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void waitsForTheCandidatesPodsBeforeServingOrMeasuring() {
        Transition t = Rollouts.advance(CANARY, RolloutState.waiting("8"), false, Optional.empty(),
                Optional.of(errors(0)), T0);
        assertThat(t.state().phase()).isEqualTo(Phase.Waiting);
        assertThat(t.state().weight(CANARY)).isZero();
        assertThat(Rollouts.analysisDue(CANARY, t.state(), at(3600))).isFalse();
        RolloutState s = started(CANARY);
        assertThat(s.phase()).isEqualTo(Phase.Progressing);
        assertThat(s.weight(CANARY)).isEqualTo(10);
    }

    @Test
    void analysisIsDueOneIntervalAfterTheStartThenEveryInterval() {
        RolloutState s = started(CANARY);
        assertThat(Rollouts.analysisDue(CANARY, s, at(9))).isFalse();
        assertThat(Rollouts.analysisDue(CANARY, s, at(10))).isTrue();
        s = advance(CANARY, s, errors(0), at(10)).state();
        assertThat(Rollouts.analysisDue(CANARY, s, at(19))).isFalse();
        assertThat(Rollouts.untilNextLook(CANARY, s, at(15))).contains(Duration.ofSeconds(5));
        assertThat(Rollouts.analysisDue(CANARY, s, at(20))).isTrue();
    }

    @Test
    void aCanaryThatPassesHoldsEachStepForItsPauseThenIsPromoted() {
        RolloutState s = started(CANARY);
        s = advance(CANARY, s, errors(0.001), at(10)).state();
        assertThat(s.step()).isZero(); // 10 s of a 20 s pause
        Transition t = advance(CANARY, s, errors(0.001), at(20));
        assertThat(t.notes()).extracting(Note::event).containsExactly(RolloutEvent.STEP_ADVANCED);
        assertThat(t.state().weight(CANARY)).isEqualTo(50);
        s = advance(CANARY, t.state(), errors(0.001), at(30)).state();
        assertThat(s.phase()).isEqualTo(Phase.Progressing);
        t = advance(CANARY, s, errors(0.001), at(40));
        assertThat(t.state().phase()).isEqualTo(Phase.Promoted);
        assertThat(t.state().message()).contains("Passed every step", "error-rate 0.001000 within <= 0.01000");
        assertThat(t.notes()).extracting(Note::event).containsExactly(RolloutEvent.PROMOTED);
        assertThat(Rollouts.untilNextLook(CANARY, t.state(), at(40))).isEmpty();
    }

    @Test
    void aBreachAtTheFailureLimitRollsBackAtOnce() {
        Transition t = advance(CANARY, started(CANARY), errors(0.2), at(10));
        assertThat(t.state().phase()).isEqualTo(Phase.RolledBack);
        assertThat(t.state().weight(CANARY)).isZero();
        assertThat(t.state().message()).contains("error-rate 0.2000 breaks <= 0.01000", "failure 1 of limit 1");
        assertThat(t.notes()).extracting(Note::event).containsExactly(RolloutEvent.ROLLED_BACK);
    }

    @Test
    void breachesBelowTheLimitHoldTheStepAndAddUp() {
        RolloutPlan plan = new RolloutPlan(Strategy.CANARY, CANARY.steps(), INTERVAL, 2, 3, null, Optional.empty());
        RolloutState s = advance(plan, started(plan), errors(0.001), at(10)).state();
        Transition t = advance(plan, s, errors(0.5), at(20));
        assertThat(t.state().phase()).isEqualTo(Phase.Progressing);
        assertThat(t.state().step()).as("a breach does not advance the step").isZero();
        assertThat(t.notes()).extracting(Note::event).containsExactly(RolloutEvent.GUARDRAIL_BREACHED);
        s = advance(plan, t.state(), errors(0.001), at(30)).state();
        assertThat(s.step()).isEqualTo(1);
        assertThat(advance(plan, s, errors(0.5), at(40)).state().phase()).isEqualTo(Phase.RolledBack);
    }

    @Test
    void anEmptyResultHoldsTheStepAndSaysWhyThenResumesWhenDataReturns() {
        RolloutState s = started(CANARY);
        Transition t = advance(CANARY, s, noData(), at(20)); // the pause is over, but there is nothing to judge
        assertThat(t.state().phase()).isEqualTo(Phase.Inconclusive);
        assertThat(t.state().step()).isZero();
        assertThat(t.state().weight(CANARY)).as("held, not withdrawn").isEqualTo(10);
        assertThat(t.state().failures()).as("never a failure").isZero();
        assertThat(t.state().message()).contains("inconclusive (1 of limit 3)", "no series for error-rate");
        assertThat(t.notes()).extracting(Note::event).containsExactly(RolloutEvent.INCONCLUSIVE);
        t = advance(CANARY, t.state(), noData(), at(30));
        assertThat(t.notes()).as("one Event when it starts, not one per run").isEmpty();
        t = advance(CANARY, t.state(), errors(0), at(40));
        assertThat(t.state().phase()).isEqualTo(Phase.Progressing);
        assertThat(t.state().step()).as("never a success either: it moves on only now").isEqualTo(1);
        assertThat(t.state().inconclusive()).isZero();
        assertThat(t.notes()).extracting(Note::event).containsExactly(RolloutEvent.RESUMED, RolloutEvent.STEP_ADVANCED);
    }

    @Test
    void nanAndQueryErrorsAreInconclusiveTooAndTheLimitAborts() {
        RolloutState s = started(CANARY);
        s = advance(CANARY, s, errors(Double.NaN), at(10)).state();
        assertThat(s.phase()).isEqualTo(Phase.Inconclusive);
        assertThat(s.message()).contains("NaN");
        AnalysisRun failed = new AnalysisRun(List.of(ERRORS.judge(Observation.missing(
                "Prometheus unreachable: connection refused"))), Optional.empty());
        s = advance(CANARY, s, failed, at(20)).state();
        assertThat(s.phase()).isEqualTo(Phase.Inconclusive);
        Transition t = advance(CANARY, s, failed, at(30));
        assertThat(t.state().phase()).isEqualTo(Phase.Aborted);
        assertThat(t.state().message()).contains("inconclusive 3 times in a row", "connection refused");
        assertThat(t.notes()).extracting(Note::event).containsExactly(RolloutEvent.ABORTED);
    }

    @Test
    void aCandidateWorseInQualityIsRolledBack() {
        RolloutPlan plan = new RolloutPlan(Strategy.CANARY, CANARY.steps(), INTERVAL, 1, 3, null, Optional.of(TEST));
        Transition t = advance(plan, started(plan), quality(300, 2000, 150, 2000), at(10));
        assertThat(t.state().phase()).isEqualTo(Phase.RolledBack);
        assertThat(t.state().message()).contains("Quality worse", "difference -0.0750");
        assertThat(t.state().pValue()).isLessThan(0.05);
    }

    @Test
    void theLastCanaryStepWaitsForTheTestsMinimumTrials() {
        RolloutPlan plan = new RolloutPlan(Strategy.CANARY, List.of(new Step(50, Duration.ZERO)), INTERVAL, 1, 3,
                null, Optional.of(TEST));
        RolloutState s = advance(plan, started(plan), quality(10, 100, 12, 100), at(10)).state();
        assertThat(s.phase()).isEqualTo(Phase.Progressing);
        assertThat(s.message()).contains("still collecting");
        assertThat(advance(plan, s, quality(100, 1000, 105, 1000), at(20)).state().phase()).isEqualTo(Phase.Promoted);
    }

    @Test
    void anAbTestIsPromotedOnlyWhenTheTestFindsItBetterAfterTheStepsPause() {
        RolloutPlan plan = new RolloutPlan(Strategy.AB_TEST, List.of(new Step(50, Duration.ofSeconds(30))), INTERVAL,
                1, 3, Duration.ofMinutes(5), Optional.of(TEST));
        RolloutState s = started(plan);
        s = advance(plan, s, quality(200, 2000, 300, 2000), at(10)).state();
        assertThat(s.phase()).as("better, but the minimum time is not over").isEqualTo(Phase.Progressing);
        s = advance(plan, s, quality(200, 2000, 204, 2000, s.pValue()), at(30)).state();
        assertThat(s.phase()).as("the always-valid p-value keeps its minimum").isEqualTo(Phase.Promoted);
    }

    @Test
    void anAbTestWithoutADifferenceIsAbortedAtItsLongestDuration() {
        RolloutPlan plan = new RolloutPlan(Strategy.AB_TEST, List.of(new Step(50, Duration.ZERO)), INTERVAL, 1, 3,
                Duration.ofSeconds(30), Optional.of(TEST));
        RolloutState s = started(plan);
        s = advance(plan, s, quality(200, 2000, 201, 2000), at(10)).state();
        assertThat(s.phase()).isEqualTo(Phase.Progressing);
        Transition t = advance(plan, s, quality(300, 3000, 301, 3000), at(30));
        assertThat(t.state().phase()).isEqualTo(Phase.Aborted);
        assertThat(t.state().message()).contains("no significant difference");
    }

    @Test
    void aShadowIsPromotedWhenItsComparisonTimeEndsWithGuardrailsPassing() {
        RolloutPlan plan = new RolloutPlan(Strategy.SHADOW, List.of(new Step(0, Duration.ofSeconds(20))), INTERVAL,
                1, 3, null, Optional.empty());
        Guardrail overlap = new Guardrail("shadow-overlap", null, 0.5);
        RolloutState s = started(plan);
        assertThat(s.weight(plan)).isZero();
        s = advance(plan, s, new AnalysisRun(List.of(overlap.judge(Observation.of(0.8))), Optional.empty()), at(10))
                .state();
        assertThat(s.phase()).isEqualTo(Phase.Progressing);
        s = advance(plan, s, new AnalysisRun(List.of(overlap.judge(Observation.of(0.8))), Optional.empty()), at(20))
                .state();
        assertThat(s.phase()).isEqualTo(Phase.Promoted);
        RolloutState low = advance(plan, started(plan), new AnalysisRun(List.of(overlap.judge(Observation.of(0.2))),
                Optional.empty()), at(10)).state();
        assertThat(low.phase()).isEqualTo(Phase.RolledBack);
        assertThat(low.message()).contains(">= 0.5000");
    }

    @Test
    void aPausedRolloutHoldsItsWeightButABreachStillRollsItBack() {
        RolloutState s = act(started(CANARY), Action.PAUSE, at(1)).state();
        assertThat(s.phase()).isEqualTo(Phase.Paused);
        s = advance(CANARY, s, errors(0), at(30)).state();
        assertThat(s.phase()).isEqualTo(Phase.Paused);
        assertThat(s.step()).isZero();
        RolloutState noData = advance(CANARY, s, noData(), at(40)).state();
        assertThat(noData.phase()).isEqualTo(Phase.Paused);
        assertThat(noData.inconclusive()).as("a person holds it: missing data is not counted").isZero();
        assertThat(advance(CANARY, s, errors(0.3), at(40)).state().phase()).isEqualTo(Phase.RolledBack);
        Transition resumed = act(s, Action.RESUME, at(41));
        assertThat(resumed.state().phase()).isEqualTo(Phase.Progressing);
        assertThat(advance(CANARY, resumed.state(), errors(0), at(50)).state().step()).isEqualTo(1);
    }

    @Test
    void aPersonMayPromoteAbortAndRetry() {
        Transition promoted = act(started(CANARY), Action.PROMOTE, at(5));
        assertThat(promoted.state().phase()).isEqualTo(Phase.Promoted);
        assertThat(promoted.notes()).extracting(Note::event).containsExactly(RolloutEvent.PROMOTED);
        Transition aborted = act(started(CANARY), Action.ABORT, at(5));
        assertThat(aborted.state().phase()).isEqualTo(Phase.Aborted);
        assertThat(aborted.state().weight(CANARY)).isZero();
        assertThat(act(aborted.state(), Action.PROMOTE, at(6)).state().phase())
                .as("a finished rollout is not promoted; retry first").isEqualTo(Phase.Aborted);
        Transition retried = Rollouts.advance(CANARY, aborted.state(), false, Optional.of(Action.RETRY),
                Optional.empty(), at(7));
        assertThat(retried.state().phase()).as("its pods were removed: it waits for new ones").isEqualTo(Phase.Waiting);
        assertThat(retried.state().finishedAt()).isNull();
        Transition restarted = act(retried.state(), Action.RESUME, at(8));
        assertThat(restarted.state().phase()).as("and starts over at step 1 once they are ready")
                .isEqualTo(Phase.Progressing);
        assertThat(restarted.state().step()).isZero();
        RolloutState rolledBack = advance(CANARY, started(CANARY), errors(1), at(10)).state();
        assertThat(act(rolledBack, Action.RETRY, at(11)).notes()).extracting(Note::event)
                .containsExactly(RolloutEvent.RESUMED, RolloutEvent.STARTED);
        assertThat(Action.parse(" Promote")).contains(Action.PROMOTE);
        assertThat(Action.parse("promote-now")).isEmpty();
    }

    @Test
    void durationsReadAsSpecWritesThem() {
        assertThat(Rollouts.text(Duration.ofSeconds(6))).isEqualTo("6s");
        assertThat(Rollouts.text(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Rollouts.text(Duration.ofMillis(1500))).isEqualTo("1s500ms");
        assertThat(Rollouts.text(Duration.ZERO)).isEqualTo("0s");
        assertThat(started(CANARY).message()).contains("10% of users for at least 20s");
    }

    private static Transition act(RolloutState s, Action action, Instant at) {
        return Rollouts.advance(CANARY, s, true, Optional.of(action), Optional.empty(), at);
    }

    private static AnalysisRun quality(double championHits, double championLists, double candidateHits,
            double candidateLists) {
        return quality(championHits, championLists, candidateHits, candidateLists, 1);
    }

    private static AnalysisRun quality(double championHits, double championLists, double candidateHits,
            double candidateLists, double previousPValue) {
        QualityLook look = QualityLook.of(TEST, new QualityLook.Counts(Observation.of(championHits),
                Observation.of(championLists), Observation.of(candidateHits), Observation.of(candidateLists)),
                previousPValue);
        return new AnalysisRun(List.of(), Optional.of(look));
    }
}
