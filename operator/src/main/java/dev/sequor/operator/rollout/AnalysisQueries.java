package dev.sequor.operator.rollout;

import dev.sequor.api.v1alpha1.GuardrailMetric;
import dev.sequor.api.v1alpha1.QualityMetric;
import dev.sequor.contract.Metrics;
import dev.sequor.contract.Variant;
import java.util.Map;

/**
 * The PromQL analysis runs: the built-in guardrails, the quality test's counters, and the
 * placeholders of user queries. Metric and label names come from the one definition in
 * {@link Metrics}; docs/rollouts.md shows the rendered queries.
 */
public final class AnalysisQueries {

    /** The series of one variant of one model: what every built-in query selects. */
    private static final String SELECTOR = "{" + Metrics.MODEL + "=\"{{model}}\"," + Metrics.VARIANT + "=\"{{variant}}\","
            + Metrics.VERSION + "=\"{{version}}\"";

    /** Placeholders a query may use, filled in for one analysis run. */
    public record Target(String model, String namespace, String version, String variant, String championVersion,
            String interval) {

        String render(String template) {
            String out = template;
            for (Map.Entry<String, String> e : Map.of("model", model, "namespace", namespace, "version", version,
                    "variant", variant, "championVersion", championVersion, "interval", interval).entrySet()) {
                out = out.replace("{{" + e.getKey() + "}}", e.getValue());
            }
            return out;
        }

        /** The same model and window, the champion's series. */
        Target champion() {
            return new Target(model, namespace, championVersion, Variant.CHAMPION, championVersion, interval);
        }
    }

    private AnalysisQueries() {
    }

    public static String guardrail(GuardrailMetric metric) {
        return switch (metric) {
            // No error series is no errors; no request series is no data (0/0 or empty: inconclusive).
            case ErrorRate -> "(" + orZero(rate(Metrics.REQUEST_ERRORS_TOTAL)) + ") / " + rate(Metrics.REQUESTS_TOTAL);
            case LatencyP99 -> "histogram_quantile(0.99, sum by (le) (rate(" + Metrics.REQUEST_SECONDS + "_bucket"
                    + SELECTOR + "}[{{interval}}])))";
            // A candidate's fallbacks are answered (and counted) by the champion; the counter exists only
            // after the first, so it counts as 0 when absent. No requests at all stays 0/0: NaN, inconclusive.
            case FallbackRate -> "(" + orZero(rate(Metrics.FALLBACKS_TOTAL)) + ") / ((" + orZero(rate(Metrics.REQUESTS_TOTAL))
                    + ") + (" + orZero(rate(Metrics.FALLBACKS_TOTAL)) + "))";
            case ShadowOverlap -> rate(Metrics.SHADOW_OVERLAP + "_sum") + " / " + rate(Metrics.SHADOW_OVERLAP + "_count");
        };
    }

    /** Successes of a variant since the rollout began ({@code seconds} ago); none yet counts as 0. */
    public static String successes(QualityMetric metric, String event, long seconds) {
        String counter = metric == QualityMetric.ClickThroughRate ? Metrics.FEEDBACK_EVENTS_TOTAL
                : Metrics.FEEDBACK_HITS_TOTAL;
        return orZero(increase(counter, "," + Metrics.EVENT + "=\"" + event + "\"", seconds));
    }

    /** Trials of a variant since the rollout began: lists served, or impressions. None is no data. */
    public static String trials(QualityMetric metric, long seconds) {
        return metric == QualityMetric.ClickThroughRate
                ? increase(Metrics.FEEDBACK_EVENTS_TOTAL, "," + Metrics.EVENT + "=\"impression\"", seconds)
                : increase(Metrics.RECOMMENDATIONS_SERVED_TOTAL, "", seconds);
    }

    private static String rate(String counter) {
        return "sum(rate(" + counter + SELECTOR + "}[{{interval}}]))";
    }

    private static String increase(String counter, String extraLabels, long seconds) {
        return "sum(increase(" + counter + SELECTOR + extraLabels + "}[" + seconds + "s]))";
    }

    private static String orZero(String expression) {
        return expression + " or vector(0)";
    }
}
