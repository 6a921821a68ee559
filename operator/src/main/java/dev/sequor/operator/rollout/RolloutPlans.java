package dev.sequor.operator.rollout;

import dev.sequor.analysis.SequentialTestSettings;
import dev.sequor.analysis.rollout.RolloutPlan;
import dev.sequor.analysis.rollout.Step;
import dev.sequor.analysis.rollout.Strategy;
import dev.sequor.api.v1alpha1.AnalysisSpec;
import dev.sequor.api.v1alpha1.QualitySpec;
import dev.sequor.api.v1alpha1.RolloutSpec;
import java.text.ParseException;
import java.time.Duration;
import java.util.Optional;

/** spec.rollout (with analysis) as the decision core's plan, defaults filled in. */
public final class RolloutPlans {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    public static final int DEFAULT_FAILURE_LIMIT = 1;
    public static final int DEFAULT_INCONCLUSIVE_LIMIT = 5;
    public static final double DEFAULT_ALPHA = 0.05;
    public static final double DEFAULT_MINIMUM_EFFECT = 0.01;
    public static final long DEFAULT_MINIMUM_TRIALS = 500;

    private RolloutPlans() {
    }

    /** Whether the operator runs this resource's rollouts (else the split is set by hand). */
    public static boolean analysed(RolloutSpec rollout) {
        return rollout != null && rollout.analysis() != null && rollout.steps() != null && !rollout.steps().isEmpty();
    }

    public static RolloutPlan of(RolloutSpec rollout) {
        AnalysisSpec analysis = rollout.analysis();
        Strategy strategy = switch (rollout.strategy()) {
            case ABTest -> Strategy.AB_TEST;
            case Shadow -> Strategy.SHADOW;
            default -> Strategy.CANARY;
        };
        return new RolloutPlan(strategy,
                rollout.steps().stream().map(s -> new Step(s.weight(), duration(s.pause(), Duration.ZERO))).toList(),
                duration(analysis.interval(), DEFAULT_INTERVAL),
                analysis.failureLimit() != null ? analysis.failureLimit() : DEFAULT_FAILURE_LIMIT,
                analysis.inconclusiveLimit() != null ? analysis.inconclusiveLimit() : DEFAULT_INCONCLUSIVE_LIMIT,
                analysis.maxDuration() != null ? duration(analysis.maxDuration(), null) : null,
                test(analysis.quality()));
    }

    static Optional<SequentialTestSettings> test(QualitySpec q) {
        if (q == null) {
            return Optional.empty();
        }
        double alpha = q.alpha() != null ? q.alpha() : DEFAULT_ALPHA;
        long trials = q.minimumTrials() != null ? q.minimumTrials() : DEFAULT_MINIMUM_TRIALS;
        return Optional.of(q.mixingVariance() != null ? new SequentialTestSettings(alpha, q.mixingVariance(), trials)
                : SequentialTestSettings.forMinimumEffect(alpha,
                        q.minimumEffect() != null ? q.minimumEffect() : DEFAULT_MINIMUM_EFFECT, trials));
    }

    /** A Go-style duration ("30s", "1h30m") as the schema's pattern admits it. */
    public static Duration duration(String value, Duration fallback) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return io.fabric8.kubernetes.api.model.Duration.parse(value).getDuration();
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a duration: " + value, e);
        }
    }
}
