package dev.sequor.analysis.rollout;

import dev.sequor.analysis.Decision;
import dev.sequor.analysis.MixtureSprt;
import dev.sequor.analysis.Proportion;
import dev.sequor.analysis.SequentialResult;
import dev.sequor.analysis.SequentialTestSettings;

/**
 * One look at the quality test: the sequential test's result on the counts since the rollout
 * started, or inconclusive when a count is missing.
 *
 * @param champion the champion's successes and trials (null when inconclusive)
 * @param candidate the candidate's
 * @param result null when inconclusive
 */
public record QualityLook(Verdict verdict, Proportion champion, Proportion candidate, SequentialResult result,
        String detail) {

    /** Successes (hits, clicks) and trials (lists served, impressions) of each variant since the rollout began. */
    public record Counts(Observation championSuccesses, Observation championTrials,
            Observation candidateSuccesses, Observation candidateTrials) {
    }

    public static QualityLook of(SequentialTestSettings settings, Counts counts, double previousPValue) {
        for (Observation o : new Observation[] {counts.championSuccesses(), counts.championTrials(),
                counts.candidateSuccesses(), counts.candidateTrials()}) {
            if (!o.present()) {
                return new QualityLook(Verdict.INCONCLUSIVE, null, null, null, "quality: " + o.missing());
            }
        }
        Proportion champion = proportion(counts.championSuccesses(), counts.championTrials());
        Proportion candidate = proportion(counts.candidateSuccesses(), counts.candidateTrials());
        SequentialResult result = new MixtureSprt(settings).evaluate(champion, candidate, previousPValue);
        return new QualityLook(result.decision() == Decision.CANDIDATE_WORSE ? Verdict.BREACH : Verdict.PASS,
                champion, candidate, result, "quality: " + result.reason());
    }

    /** Counter increases are extrapolated, so not whole numbers, and two counters need not agree: rounded, clamped. */
    private static Proportion proportion(Observation successes, Observation trials) {
        long n = Math.max(0, Math.round(trials.value()));
        return new Proportion(Math.min(n, Math.max(0, Math.round(successes.value()))), n);
    }

    /** Whether the test is still short of its minimum trials (it has not looked at the difference yet). */
    public boolean collecting() {
        return result == null || Double.isNaN(result.standardError());
    }
}
