package dev.sequor.analysis.rollout;

import dev.sequor.analysis.SequentialTestSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a candidate is rolled out and judged.
 *
 * @param steps Canary: the weights in order; ABTest: one step, the test's split; Shadow: one step
 *        of weight 0 whose pause is the comparison time
 * @param interval time between analysis runs
 * @param failureLimit guardrail breaches (in all) that roll the candidate back
 * @param inconclusiveLimit analysis runs in a row without data that abort the rollout
 * @param maxDuration the longest a rollout may run before it is aborted (null: no limit)
 * @param quality the sequential test on hit rate or click-through, if configured
 */
public record RolloutPlan(Strategy strategy, List<Step> steps, Duration interval, int failureLimit,
        int inconclusiveLimit, Duration maxDuration, Optional<SequentialTestSettings> quality) {

    public RolloutPlan {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a rollout needs at least one step");
        }
        if (strategy != Strategy.CANARY && steps.size() != 1) {
            throw new IllegalArgumentException(strategy + " takes exactly one step");
        }
        if (strategy == Strategy.SHADOW && steps.get(0).weight() != 0) {
            throw new IllegalArgumentException("a shadow serves no users: its step's weight must be 0");
        }
        if (strategy == Strategy.AB_TEST && quality.isEmpty()) {
            throw new IllegalArgumentException("an A/B test is decided by the quality test: configure one");
        }
        if (failureLimit < 1 || inconclusiveLimit < 1) {
            throw new IllegalArgumentException("failure and inconclusive limits must be at least 1");
        }
        if (interval == null || interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("the analysis interval must be positive");
        }
    }

    public Step step(int index) {
        return steps.get(Math.min(index, steps.size() - 1));
    }

    public boolean lastStep(int index) {
        return index >= steps.size() - 1;
    }
}
