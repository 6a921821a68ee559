package dev.sequor.operator.rollout;

import dev.sequor.analysis.rollout.Observation;

/** Where analysis reads its numbers: one PromQL expression in, one number (or why none) out. */
@FunctionalInterface
public interface MetricSource {

    Observation query(String promql);

    /** When the operator knows no Prometheus: every measurement is inconclusive, and says why. */
    MetricSource NONE = promql -> Observation.missing("the operator has no Prometheus to ask "
            + "(set sequor.analysis.prometheus-url)");
}
