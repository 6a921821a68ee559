package dev.sequor.operator.rollout;

import dev.sequor.analysis.SequentialTestSettings;
import dev.sequor.analysis.rollout.AnalysisRun;
import dev.sequor.analysis.rollout.Guardrail;
import dev.sequor.analysis.rollout.Measurement;
import dev.sequor.analysis.rollout.QualityLook;
import dev.sequor.api.v1alpha1.AnalysisSpec;
import dev.sequor.api.v1alpha1.GuardrailSpec;
import dev.sequor.api.v1alpha1.QualityMetric;
import dev.sequor.api.v1alpha1.QualitySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One analysis run against a metric source: every guardrail queried and judged, the quality counters read. */
public final class RolloutAnalysis {

    private final MetricSource metrics;

    public RolloutAnalysis(MetricSource metrics) {
        this.metrics = metrics;
    }

    public AnalysisRun run(AnalysisSpec spec, AnalysisQueries.Target target, Optional<SequentialTestSettings> test,
            double previousPValue, Instant startedAt, Instant now) {
        List<Measurement> guardrails = new ArrayList<>();
        for (GuardrailSpec g : spec.guardrails() != null ? spec.guardrails() : List.<GuardrailSpec>of()) {
            String template = g.query() != null ? g.query() : AnalysisQueries.guardrail(g.metric());
            guardrails.add(new Guardrail(g.name(), g.max(), g.min()).judge(metrics.query(target.render(template))));
        }
        Optional<QualityLook> quality = test.map(settings -> {
            QualitySpec q = spec.quality();
            QualityMetric metric = q.metric() != null ? q.metric() : QualityMetric.HitRate;
            String event = q.event() != null ? q.event() : "click";
            long seconds = Math.max(1, Duration.between(startedAt, now).toSeconds());
            AnalysisQueries.Target champion = target.champion();
            return QualityLook.of(settings, new QualityLook.Counts(
                    metrics.query(champion.render(AnalysisQueries.successes(metric, event, seconds))),
                    metrics.query(champion.render(AnalysisQueries.trials(metric, seconds))),
                    metrics.query(target.render(AnalysisQueries.successes(metric, event, seconds))),
                    metrics.query(target.render(AnalysisQueries.trials(metric, seconds)))), previousPValue);
        });
        return new AnalysisRun(guardrails, quality);
    }
}
