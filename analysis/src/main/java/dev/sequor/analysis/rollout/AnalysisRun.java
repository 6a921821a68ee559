package dev.sequor.analysis.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One analysis run: every guardrail judged, and the quality test looked at (when configured). */
public record AnalysisRun(List<Measurement> guardrails, Optional<QualityLook> quality) {

    public AnalysisRun {
        guardrails = List.copyOf(guardrails);
    }

    public List<Measurement> with(Verdict verdict) {
        return guardrails.stream().filter(m -> m.verdict() == verdict).toList();
    }

    /** Every measurement, the quality test's as one more, for status. */
    public List<Measurement> measurements() {
        List<Measurement> all = new ArrayList<>(guardrails);
        quality.ifPresent(q -> all.add(new Measurement("quality", q.result() == null ? null : q.result().effect(),
                q.result() == null ? "" : "always-valid p", q.verdict(), q.detail())));
        return all;
    }
}
