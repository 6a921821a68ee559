package dev.sequor.analysis.retraining;

import java.time.Instant;

/**
 * What the triggers remember between looks (kept in the resource's status).
 *
 * @param watchingSince when retraining was first seen configured: the data-volume origin before any run
 * @param breachSince when the metric first breached without a healthy reading since; null when not breached
 * @param scheduleCheckedAt the schedule's times up to this instant are dealt with (fired or skipped)
 * @param lastRunStart when the last run was started; null before the first
 */
public record TriggerState(Instant watchingSince, Instant breachSince, Instant scheduleCheckedAt, Instant lastRunStart) {

    public static TriggerState initial(Instant now) {
        return new TriggerState(now, null, now, null);
    }

    /** Where "new feedback events" are counted from: the last run's start, else when watching began. */
    public Instant dataSince() {
        return lastRunStart != null ? lastRunStart : watchingSince;
    }
}
