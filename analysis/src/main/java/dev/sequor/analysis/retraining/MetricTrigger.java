package dev.sequor.analysis.retraining;

import dev.sequor.analysis.rollout.Rollouts;
import java.time.Duration;
import java.util.Objects;

/**
 * Retrain when a PromQL expression stays beyond a threshold for a while, e.g. the click-through
 * rate below 0.05 for 15 minutes.
 *
 * @param below true: the breach is a value under the threshold; false: over it
 * @param sustained how long the breach must last (Prometheus alerting's {@code for})
 */
public record MetricTrigger(String query, boolean below, double threshold, Duration sustained) {

    public MetricTrigger {
        Objects.requireNonNull(query, "query");
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("a metric trigger needs a finite threshold");
        }
        if (sustained.isNegative()) {
            throw new IllegalArgumentException("a metric trigger's duration cannot be negative");
        }
    }

    public boolean breachedBy(double value) {
        return below ? value < threshold : value > threshold;
    }

    /** "ctr < 0.05 for 15m", for messages. */
    public String describe() {
        return (below ? "< " : "> ") + threshold + " for " + Rollouts.text(sustained);
    }
}
