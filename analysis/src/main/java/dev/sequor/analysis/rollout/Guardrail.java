package dev.sequor.analysis.rollout;

import java.util.Locale;

/**
 * A metric of the candidate that must stay within bounds while it serves: an error rate, a p99
 * latency, a fallback rate, a shadow disagreement. At least one of {@code max} and {@code min}.
 */
public record Guardrail(String name, Double max, Double min) {

    public Guardrail {
        if (max == null && min == null) {
            throw new IllegalArgumentException("guardrail " + name + " needs max or min");
        }
    }

    public Measurement judge(Observation observation) {
        String threshold = (max != null ? "<= " + format(max) : "") + (max != null && min != null ? " and " : "")
                + (min != null ? ">= " + format(min) : "");
        if (!observation.present()) {
            return new Measurement(name, null, threshold, Verdict.INCONCLUSIVE, observation.missing());
        }
        double v = observation.value();
        boolean breach = (max != null && v > max) || (min != null && v < min);
        return new Measurement(name, v, threshold, breach ? Verdict.BREACH : Verdict.PASS,
                name + " " + format(v) + (breach ? " breaks " : " within ") + threshold);
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
