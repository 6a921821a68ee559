package dev.sequor.e2e;

import dev.sequor.api.v1alpha1.CandidateStatus;
import dev.sequor.api.v1alpha1.SequentialTestStatus;
import java.util.Locale;

/** One line of a rollout's progress, from status: what a person watching {@code kubectl get -w} would see, and more. */
final class RolloutProgress {

    private RolloutProgress() {
    }

    static String describe(CandidateStatus c) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "v%s %-12s step %s/%s weight %3d%%",
                c.model().version(), c.phase(), c.step() == null ? "-" : c.step(), c.steps(),
                c.weight() == null ? 0 : c.weight()));
        if (c.measurements() != null) {
            c.measurements().stream().filter(m -> !m.name().equals("quality")).forEach(m -> line.append(" | ")
                    .append(m.name()).append(' ').append(m.value() == null ? m.verdict() : String.format(Locale.ROOT,
                            "%.4f", m.value())));
        }
        SequentialTestStatus t = c.test();
        if (t != null && t.candidateTrials() != null) {
            line.append(String.format(Locale.ROOT, " | hit rate candidate %.3f (n=%d) champion %.3f (n=%d) p=%.3g",
                    rate(t.candidateSuccesses(), t.candidateTrials()), t.candidateTrials(),
                    rate(t.championSuccesses(), t.championTrials()), t.championTrials(), t.pValue()));
        }
        line.append(" | ").append(c.message());
        return line.toString();
    }

    private static double rate(Long successes, Long trials) {
        return trials == null || trials == 0 ? 0 : (double) successes / trials;
    }
}
