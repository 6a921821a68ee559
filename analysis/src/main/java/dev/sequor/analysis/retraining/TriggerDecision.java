package dev.sequor.analysis.retraining;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of one look.
 *
 * @param fired the trigger that starts a run now, if any
 * @param suppressed a trigger that was due but held back (cooldown, a run in progress), and why
 * @param next the state to keep
 * @param nextScheduled the schedule's next time, if there is a schedule
 * @param notes what was inconclusive (no data), for status
 * @param lookAgainIn when the triggers want another look
 */
public record TriggerDecision(Optional<Fired> fired, Optional<Suppressed> suppressed, TriggerState next,
        Optional<Instant> nextScheduled, List<String> notes, Duration lookAgainIn) {

    /** A trigger that fired: which, why, and the value that fired it (metric and data volume). */
    public record Fired(TriggerKind kind, String detail, Double value) {
    }

    /** A trigger that was due and did not start a run. */
    public record Suppressed(TriggerKind kind, String why) {
    }
}
