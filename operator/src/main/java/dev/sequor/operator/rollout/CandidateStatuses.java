package dev.sequor.operator.rollout;

import dev.sequor.analysis.SequentialResult;
import dev.sequor.analysis.rollout.AnalysisRun;
import dev.sequor.analysis.rollout.Measurement;
import dev.sequor.analysis.rollout.Phase;
import dev.sequor.analysis.rollout.QualityLook;
import dev.sequor.analysis.rollout.RolloutPlan;
import dev.sequor.analysis.rollout.RolloutState;
import dev.sequor.api.v1alpha1.CandidateStatus;
import dev.sequor.api.v1alpha1.MeasurementStatus;
import dev.sequor.api.v1alpha1.ResolvedModel;
import dev.sequor.api.v1alpha1.SequentialTestStatus;
import java.time.Instant;
import java.util.List;

/** The decision core's state as status.candidate and back: status is where it lives between looks. */
public final class CandidateStatuses {

    private CandidateStatuses() {
    }

    public static RolloutState state(CandidateStatus s) {
        return new RolloutState(s.model().version() != null ? s.model().version() : s.model().uri(),
                Phase.valueOf(s.phase()), s.step() != null ? s.step() - 1 : 0, instant(s.startedAt()),
                instant(s.stepStartedAt()), instant(s.lastAnalysisAt()), zeroIfNull(s.failures()),
                zeroIfNull(s.inconclusive()), s.test() != null && s.test().pValue() != null ? s.test().pValue() : 1, null,
                s.message(), instant(s.finishedAt()));
    }

    /** @param previous the status it replaces: its measurements stay when this look ran no analysis */
    public static CandidateStatus status(RolloutState state, RolloutPlan plan, ResolvedModel model, String source,
            CandidateStatus previous) {
        AnalysisRun run = state.lastRun();
        boolean sameRollout = previous != null && previous.model().equals(model)
                && java.util.Objects.equals(previous.startedAt(), text(state.startedAt()));
        List<MeasurementStatus> measurements = run != null ? run.measurements().stream().map(CandidateStatuses::measurement).toList()
                : sameRollout ? previous.measurements() : null;
        SequentialTestStatus test = run != null ? run.quality().map(q -> test(q, state.pValue())).orElse(null)
                : sameRollout ? previous.test() : null;
        // Promoted, it serves everyone as the champion; the core's weight is its share as a candidate.
        return new CandidateStatus(model, source, state.phase().name(),
                state.phase() == Phase.Promoted ? 100 : state.weight(plan),
                state.startedAt() != null ? state.step() + 1 : null, plan.steps().size(), state.message(),
                text(state.startedAt()), text(state.stepStartedAt()), text(state.lastAnalysisAt()),
                text(state.finishedAt()), state.failures(), state.inconclusive(), measurements, test);
    }

    private static MeasurementStatus measurement(Measurement m) {
        return new MeasurementStatus(m.name(), m.value(), m.threshold(), m.verdict().name(), m.detail());
    }

    private static SequentialTestStatus test(QualityLook q, double pValue) {
        SequentialResult r = q.result();
        if (r == null) {
            return new SequentialTestStatus(null, null, null, null, null, null, pValue, null);
        }
        return new SequentialTestStatus(q.champion().successes(), q.champion().trials(), q.candidate().successes(),
                q.candidate().trials(), r.effect(), Double.isNaN(r.likelihoodRatio()) ? null : r.likelihoodRatio(),
                pValue, r.decision().name());
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static int zeroIfNull(Integer i) {
        return i == null ? 0 : i;
    }
}
