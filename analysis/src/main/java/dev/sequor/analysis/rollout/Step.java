package dev.sequor.analysis.rollout;

import java.time.Duration;

/**
 * One step of a rollout: the candidate's share of users and the least time it holds it.
 *
 * @param weight percent of users (0 for a shadow)
 * @param pause the least time at this weight before the rollout may move on
 */
public record Step(int weight, Duration pause) {

    public Step {
        if (weight < 0 || weight > 100) {
            throw new IllegalArgumentException("a step's weight is a percentage, got " + weight);
        }
        if (pause == null || pause.isNegative()) {
            throw new IllegalArgumentException("a step's pause must be zero or more");
        }
    }
}
