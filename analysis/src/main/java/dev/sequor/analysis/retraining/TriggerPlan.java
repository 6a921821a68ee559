package dev.sequor.analysis.retraining;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * When a model retrains: any of the triggers (each optional), never twice within the cooldown,
 * never while a run is in progress.
 *
 * @param newEvents the data-volume trigger: this many feedback events since the last run's data
 * @param cooldown the least time from one run's start to the next
 * @param evaluationInterval how often the metric and data volume are read
 */
public record TriggerPlan(Optional<MetricTrigger> metric, Optional<Schedule> schedule, OptionalLong newEvents,
        Duration cooldown, Duration evaluationInterval) {

    public TriggerPlan {
        if (cooldown.isNegative()) {
            throw new IllegalArgumentException("cooldown cannot be negative");
        }
        if (evaluationInterval.isZero() || evaluationInterval.isNegative()) {
            throw new IllegalArgumentException("the evaluation interval must be positive");
        }
        if (newEvents.isPresent() && newEvents.getAsLong() < 1) {
            throw new IllegalArgumentException("the data-volume trigger needs at least 1 event");
        }
    }
}
