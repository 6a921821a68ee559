package dev.sequor.analysis.retraining;

import dev.sequor.analysis.retraining.TriggerDecision.Fired;
import dev.sequor.analysis.retraining.TriggerDecision.Suppressed;
import dev.sequor.analysis.rollout.Observation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Decides whether a model retrains now. Pure: readings and the time in, a decision and the state to
 * keep out.
 *
 * <ul>
 * <li>Metric: fires once the expression has breached its threshold for the trigger's duration.
 * A healthy reading clears the breach; no data (no series, NaN, Prometheus down) is neither: it
 * never fires and never clears, so an outage can neither start a run nor hide a breach.</li>
 * <li>Schedule: fires when a cron time has passed since the last look; a time that falls in the
 * cooldown or during a run is skipped, not queued (a CronJob's {@code Forbid}).</li>
 * <li>Data volume: fires when the feedback events since the last run's start reach the number.</li>
 * <li>Manual: fires on request. At most one run at a time, never within the cooldown of the last
 * start; a due metric or data-volume trigger waits for the cooldown's end and fires then if still due.</li>
 * </ul>
 */
public final class RetrainingTriggers {

    private static final Duration AT_LEAST = Duration.ofSeconds(1);

    private RetrainingTriggers() {
    }

    public static TriggerDecision decide(TriggerPlan plan, TriggerState state, TriggerInputs in, Instant now) {
        List<String> notes = new ArrayList<>();
        List<Instant> wakeUps = new ArrayList<>();
        wakeUps.add(now.plus(plan.evaluationInterval()));

        Instant breachSince = state.breachSince();
        Fired metricDue = null;
        if (plan.metric().isPresent()) {
            MetricTrigger m = plan.metric().get();
            Observation o = in.metric();
            if (o == null || !o.present()) {
                notes.add("metric trigger: no data (" + (o == null ? "not read" : o.missing()) + "); neither a breach "
                        + "nor healthy");
            } else if (m.breachedBy(o.value())) {
                breachSince = breachSince != null ? breachSince : now;
                Instant due = breachSince.plus(m.sustained());
                if (!now.isBefore(due)) {
                    metricDue = new Fired(TriggerKind.METRIC, "metric " + number(o.value()) + " " + m.describe()
                            + " (breached since " + breachSince + ")", o.value());
                } else {
                    wakeUps.add(due);
                }
            } else {
                breachSince = null;
            }
        }

        Fired scheduleDue = null;
        Optional<Instant> nextScheduled = Optional.empty();
        if (plan.schedule().isPresent()) {
            Schedule s = plan.schedule().get();
            Optional<Instant> missed = s.nextAfter(state.scheduleCheckedAt()).filter(t -> !t.isAfter(now));
            if (missed.isPresent()) {
                scheduleDue = new Fired(TriggerKind.SCHEDULE, "schedule " + s.describe() + " due at " + missed.get(), null);
            }
            nextScheduled = s.nextAfter(now);
            nextScheduled.ifPresent(wakeUps::add);
        }

        Fired volumeDue = null;
        if (plan.newEvents().isPresent()) {
            long wanted = plan.newEvents().getAsLong();
            Observation o = in.newEvents();
            if (o == null || !o.present()) {
                notes.add("data-volume trigger: no data (" + (o == null ? "not read" : o.missing()) + ")");
            } else if (o.value() >= wanted) {
                volumeDue = new Fired(TriggerKind.DATA_VOLUME, number(o.value()) + " new feedback events since "
                        + state.dataSince() + " (trigger at " + wanted + ")", o.value());
            }
        }

        Fired manual = in.manual() ? new Fired(TriggerKind.MANUAL, "requested by annotation", null) : null;
        Optional<Fired> due = Stream.of(manual, metricDue, scheduleDue, volumeDue).filter(f -> f != null).findFirst();
        Instant cooldownEnd = state.lastRunStart() == null ? null : state.lastRunStart().plus(plan.cooldown());

        Optional<Fired> fired = Optional.empty();
        Optional<Suppressed> suppressed = Optional.empty();
        TriggerState next;
        if (due.isEmpty()) {
            next = new TriggerState(state.watchingSince(), breachSince, now, state.lastRunStart());
        } else if (in.runInProgress()) {
            suppressed = Optional.of(new Suppressed(due.get().kind(), "a training run is in progress"));
            next = new TriggerState(state.watchingSince(), breachSince, now, state.lastRunStart());
        } else if (cooldownEnd != null && now.isBefore(cooldownEnd)) {
            suppressed = Optional.of(new Suppressed(due.get().kind(), "in the cooldown until " + cooldownEnd
                    + " (the last run started at " + state.lastRunStart() + ")"));
            wakeUps.add(cooldownEnd);
            next = new TriggerState(state.watchingSince(), breachSince, now, state.lastRunStart());
        } else {
            fired = due;
            next = new TriggerState(state.watchingSince(), null, now, now);
        }
        Duration lookAgainIn = wakeUps.stream().map(t -> Duration.between(now, t)).filter(d -> d.compareTo(AT_LEAST) >= 0)
                .min(Duration::compareTo).orElse(AT_LEAST);
        return new TriggerDecision(fired, suppressed, next, nextScheduled, List.copyOf(notes), lookAgainIn);
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }
}
