package dev.sequor.analysis.retraining;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequor.analysis.rollout.Observation;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RetrainingTriggersTest {

    private static final Instant T0 = Instant.parse("2026-07-01T00:00:00Z");
    private static final Duration COOLDOWN = Duration.ofHours(1);
    private static final Duration EVERY = Duration.ofMinutes(1);
    private static final MetricTrigger CTR_LOW = new MetricTrigger("ctr", true, 0.05, Duration.ofMinutes(10));

    private static TriggerPlan metricPlan() {
        return new TriggerPlan(Optional.of(CTR_LOW), Optional.empty(), OptionalLong.empty(), COOLDOWN, EVERY);
    }

    private static TriggerInputs metric(Observation o) {
        return new TriggerInputs(o, null, false, false);
    }

    private static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    @Test
    void aMetricBreachFiresOnlyOnceItHasLastedItsDuration() {
        TriggerState s = TriggerState.initial(T0);
        TriggerDecision d = RetrainingTriggers.decide(metricPlan(), s, metric(Observation.of(0.03)), at(1));
        assertThat(d.fired()).isEmpty();
        assertThat(d.next().breachSince()).isEqualTo(at(1));
        assertThat(d.lookAgainIn()).isEqualTo(EVERY);
        d = RetrainingTriggers.decide(metricPlan(), d.next(), metric(Observation.of(0.04)), at(10));
        assertThat(d.fired()).isEmpty();
        assertThat(d.lookAgainIn()).as("wakes when the breach is due").isEqualTo(Duration.ofMinutes(1));
        d = RetrainingTriggers.decide(metricPlan(), d.next(), metric(Observation.of(0.04)), at(11));
        assertThat(d.fired()).hasValueSatisfying(f -> {
            assertThat(f.kind()).isEqualTo(TriggerKind.METRIC);
            assertThat(f.value()).isEqualTo(0.04);
            assertThat(f.detail()).contains("0.04", "< 0.05 for 10m");
        });
        assertThat(d.next().lastRunStart()).isEqualTo(at(11));
        assertThat(d.next().breachSince()).isNull();
    }

    @Test
    void aHealthyReadingClearsTheBreach() {
        TriggerDecision d = RetrainingTriggers.decide(metricPlan(), TriggerState.initial(T0), metric(Observation.of(0.01)), at(1));
        d = RetrainingTriggers.decide(metricPlan(), d.next(), metric(Observation.of(0.06)), at(5));
        assertThat(d.next().breachSince()).isNull();
        d = RetrainingTriggers.decide(metricPlan(), d.next(), metric(Observation.of(0.01)), at(12));
        assertThat(d.fired()).as("the clock restarted at minute 12").isEmpty();
        assertThat(d.next().breachSince()).isEqualTo(at(12));
    }

    @Test
    void noDataNeverFiresAndNeverCountsAsHealthy() {
        TriggerState s = TriggerState.initial(T0);
        for (int minute = 1; minute <= 120; minute++) {
            TriggerDecision d = RetrainingTriggers.decide(metricPlan(), s, metric(Observation.missing("no series")),
                    at(minute));
            assertThat(d.fired()).isEmpty();
            assertThat(d.notes()).singleElement().asString().contains("no data", "no series");
            s = d.next();
        }
        // A breach, then an outage longer than the duration: the outage does not clear the breach,
        // and it does not fire either; the next real breach reading does.
        TriggerDecision d = RetrainingTriggers.decide(metricPlan(), s, metric(Observation.of(0.01)), at(121));
        d = RetrainingTriggers.decide(metricPlan(), d.next(), metric(Observation.missing("Prometheus down")), at(135));
        assertThat(d.fired()).isEmpty();
        assertThat(d.next().breachSince()).isEqualTo(at(121));
        d = RetrainingTriggers.decide(metricPlan(), d.next(), metric(Observation.of(0.02)), at(136));
        assertThat(d.fired()).map(TriggerDecision.Fired::kind).hasValue(TriggerKind.METRIC);
    }

    @Test
    void theCooldownHoldsADueMetricUntilItEndsAndADueRunWaitsForTheRunInProgress() {
        TriggerState afterRun = new TriggerState(T0, null, at(0), at(0));
        TriggerDecision d = RetrainingTriggers.decide(metricPlan(), afterRun, metric(Observation.of(0.01)), at(20));
        d = RetrainingTriggers.decide(metricPlan(), d.next(), metric(Observation.of(0.01)), at(40));
        assertThat(d.fired()).isEmpty();
        assertThat(d.suppressed()).hasValueSatisfying(s -> {
            assertThat(s.kind()).isEqualTo(TriggerKind.METRIC);
            assertThat(s.why()).contains("cooldown until " + at(60));
        });
        assertThat(d.next().breachSince()).as("still pending").isEqualTo(at(20));
        d = RetrainingTriggers.decide(metricPlan(), d.next(), metric(Observation.of(0.01)), at(60));
        assertThat(d.fired()).isPresent();

        TriggerDecision busy = RetrainingTriggers.decide(metricPlan(), TriggerState.initial(T0),
                new TriggerInputs(Observation.of(0.5), null, true, true), at(1));
        assertThat(busy.fired()).isEmpty();
        assertThat(busy.suppressed()).hasValueSatisfying(s -> {
            assertThat(s.kind()).isEqualTo(TriggerKind.MANUAL);
            assertThat(s.why()).contains("in progress");
        });
    }

    @Test
    void aScheduleFiresInItsTimeZoneAndATimeInTheCooldownIsSkippedNotQueued() {
        Schedule berlin3am = Schedule.parse("0 3 * * *", "Europe/Berlin");
        assertThat(berlin3am.nextAfter(T0)).hasValue(Instant.parse("2026-07-01T01:00:00Z"));
        assertThat(berlin3am.nextAfter(Instant.parse("2026-12-01T00:00:00Z"))).hasValue(Instant.parse("2026-12-01T02:00:00Z"));
        TriggerPlan plan = new TriggerPlan(Optional.empty(), Optional.of(berlin3am), OptionalLong.empty(),
                Duration.ofHours(2), EVERY);

        TriggerDecision d = RetrainingTriggers.decide(plan, TriggerState.initial(T0), new TriggerInputs(null, null, false, false), at(59));
        assertThat(d.fired()).isEmpty();
        assertThat(d.nextScheduled()).hasValue(at(60));
        assertThat(d.lookAgainIn()).isEqualTo(Duration.ofMinutes(1));
        d = RetrainingTriggers.decide(plan, d.next(), new TriggerInputs(null, null, false, false), at(61));
        assertThat(d.fired()).hasValueSatisfying(f -> assertThat(f.detail()).contains("Europe/Berlin", "2026-07-01T01:00:00Z"));
        assertThat(d.nextScheduled()).hasValue(Instant.parse("2026-07-02T01:00:00Z"));

        // A manual run at 00:30 the next night puts 01:00 inside the 2-hour cooldown: skipped.
        TriggerState manualRun = new TriggerState(T0, null, at(24 * 60 + 30), at(24 * 60 + 30));
        d = RetrainingTriggers.decide(plan, manualRun, new TriggerInputs(null, null, false, false), at(24 * 60 + 61));
        assertThat(d.fired()).isEmpty();
        assertThat(d.suppressed()).map(TriggerDecision.Suppressed::kind).hasValue(TriggerKind.SCHEDULE);
        d = RetrainingTriggers.decide(plan, d.next(), new TriggerInputs(null, null, false, false), at(24 * 60 + 160));
        assertThat(d.fired()).as("after the cooldown the skipped time does not come back").isEmpty();
        assertThat(d.suppressed()).isEmpty();
    }

    @Test
    void dataVolumeFiresAtTheNumberAndCountsFromTheLastRun() {
        TriggerPlan plan = new TriggerPlan(Optional.empty(), Optional.empty(), OptionalLong.of(1000), COOLDOWN, EVERY);
        TriggerState s = new TriggerState(T0, null, at(0), at(30));
        assertThat(s.dataSince()).isEqualTo(at(30));
        assertThat(TriggerState.initial(T0).dataSince()).isEqualTo(T0);
        TriggerDecision d = RetrainingTriggers.decide(plan, s, new TriggerInputs(null, Observation.of(999), false, false), at(200));
        assertThat(d.fired()).isEmpty();
        d = RetrainingTriggers.decide(plan, d.next(), new TriggerInputs(null, Observation.missing("no series"), false, false), at(201));
        assertThat(d.fired()).isEmpty();
        assertThat(d.notes()).singleElement().asString().contains("data-volume", "no series");
        d = RetrainingTriggers.decide(plan, d.next(), new TriggerInputs(null, Observation.of(1000), false, false), at(202));
        assertThat(d.fired()).hasValueSatisfying(f -> {
            assertThat(f.kind()).isEqualTo(TriggerKind.DATA_VOLUME);
            assertThat(f.detail()).contains("1000 new feedback events since " + at(30));
        });
        assertThat(d.next().dataSince()).isEqualTo(at(202));
    }

    @Test
    void aManualRequestWinsOverOtherDueTriggers() {
        TriggerDecision d = RetrainingTriggers.decide(metricPlan(), new TriggerState(T0, at(0), at(0), null),
                new TriggerInputs(Observation.of(0.0), null, true, false), at(30));
        assertThat(d.fired()).map(TriggerDecision.Fired::kind).hasValue(TriggerKind.MANUAL);
    }

    @Test
    void badSchedulesSayWhatIsWrong() {
        assertThatThrownBy(() -> Schedule.parse("0 3 * *", "UTC")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'0 3 * *' is not a five-field cron expression");
        assertThatThrownBy(() -> Schedule.parse("0 3 * * *", "Mars/Olympus")).hasMessageContaining("unknown time zone");
        assertThat(Schedule.parse("*/15 * * * *", null).nextAfter(T0)).hasValue(at(15));
    }
}
