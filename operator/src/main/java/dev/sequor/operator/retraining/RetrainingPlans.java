package dev.sequor.operator.retraining;

import dev.sequor.analysis.retraining.MetricTrigger;
import dev.sequor.analysis.retraining.Schedule;
import dev.sequor.analysis.retraining.TriggerPlan;
import dev.sequor.api.v1alpha1.MetricTriggerSpec;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.RetrainingSpec;
import dev.sequor.api.v1alpha1.TriggersSpec;
import dev.sequor.contract.Metrics;
import dev.sequor.operator.rollout.RolloutPlans;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/** spec.retraining as the triggers' plan, and the queries the triggers read. */
public final class RetrainingPlans {

    public static final Duration DEFAULT_COOLDOWN = Duration.ofHours(1);
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

    private RetrainingPlans() {
    }

    /** The plan; an {@link IllegalArgumentException} says what the schema could not catch (cron, time zone). */
    public static TriggerPlan of(RetrainingSpec spec) {
        TriggersSpec t = spec.triggers() != null ? spec.triggers() : new TriggersSpec(null, null, null, null);
        Optional<MetricTrigger> metric = Optional.ofNullable(t.metric()).map(m -> new MetricTrigger(m.query(),
                m.below() != null, m.below() != null ? m.below() : m.above(),
                RolloutPlans.duration(m.forDuration(), Duration.ZERO)));
        Optional<Schedule> schedule = Optional.ofNullable(t.schedule())
                .map(s -> Schedule.parse(s.cron(), s.timeZone()));
        OptionalLong newEvents = t.dataVolume() != null ? OptionalLong.of(t.dataVolume().newEvents()) : OptionalLong.empty();
        return new TriggerPlan(metric, schedule, newEvents, RolloutPlans.duration(spec.cooldown(), DEFAULT_COOLDOWN),
                RolloutPlans.duration(t.interval(), DEFAULT_INTERVAL));
    }

    /** The metric trigger's query with {{model}} and {{namespace}} filled in. */
    public static String metricQuery(MetricTriggerSpec spec, RecommenderModel model) {
        return spec.query().replace("{{model}}", model.getMetadata().getName())
                .replace("{{namespace}}", model.getMetadata().getNamespace());
    }

    /**
     * Feedback events the model's routers accepted in the last {@code seconds}, every type. With a
     * durable sink an event is counted only once it is stored. No series is no data, not zero.
     */
    public static String newEventsQuery(RecommenderModel model, long seconds) {
        return "sum(increase(" + Metrics.FEEDBACK_EVENTS_TOTAL + "{" + Metrics.MODEL + "=\"" + model.getMetadata().getName()
                + "\"}[" + Math.max(1, seconds) + "s]))";
    }
}
