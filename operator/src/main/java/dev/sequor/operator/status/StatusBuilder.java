package dev.sequor.operator.status;

import static dev.sequor.operator.status.Conditions.of;

import dev.sequor.api.v1alpha1.Condition;
import dev.sequor.api.v1alpha1.Endpoint;
import dev.sequor.api.v1alpha1.Reason;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.RecommenderModelStatus;
import dev.sequor.api.v1alpha1.ResolvedModel;
import dev.sequor.operator.registry.ModelResolutionException;
import java.time.Instant;
import java.util.List;

/** Computes the next status from what was observed. Pure: values in, value out. */
public final class StatusBuilder {

    private StatusBuilder() {
    }

    /** The model resolved and the serving objects were applied. */
    public static RecommenderModelStatus resolved(RecommenderModel model, ResolvedModel resolved,
            DeploymentObservation deployment, Endpoint endpoint, Instant now) {
        Long generation = model.getMetadata().getGeneration();
        Condition modelResolved = of(ConditionType.MODEL_RESOLVED, true, Reason.RESOLVED, describe(resolved), generation);
        return build(model, resolved, modelResolved, null, deployment, endpoint, now);
    }

    /**
     * The model did not resolve. The serving objects were left as they were, so status keeps the
     * version still being served and says why the new one is not.
     */
    public static RecommenderModelStatus resolutionFailed(RecommenderModel model, ModelResolutionException failure,
            DeploymentObservation deployment, Instant now) {
        RecommenderModelStatus previous = model.getStatus();
        Long generation = model.getMetadata().getGeneration();
        Condition modelResolved = of(ConditionType.MODEL_RESOLVED, false, failure.reason(), failure.getMessage(),
                generation);
        return build(model, previous != null ? previous.model() : null, modelResolved, failure, deployment,
                previous != null ? previous.endpoint() : null, now);
    }

    /** Something other than the registry failed while applying; reported, then retried. */
    public static RecommenderModelStatus reconcileFailed(RecommenderModel model, Reason reason, String message,
            DeploymentObservation deployment, Instant now) {
        RecommenderModelStatus previous = model.getStatus();
        Long generation = model.getMetadata().getGeneration();
        Condition modelResolved = previous == null ? null : previous.condition(ConditionType.MODEL_RESOLVED).orElse(null);
        Condition degraded = of(ConditionType.DEGRADED, true, reason, message, generation);
        RecommenderModelStatus next = build(model, previous != null ? previous.model() : null, modelResolved, null,
                deployment, previous != null ? previous.endpoint() : null, now);
        List<Condition> conditions = next.conditions().stream()
                .map(c -> c.type().equals(ConditionType.DEGRADED) ? degraded : c).toList();
        return withConditions(next, Conditions.merge(previous != null ? previous.conditions() : null, conditions, now));
    }

    private static RecommenderModelStatus build(RecommenderModel model, ResolvedModel serving, Condition modelResolved,
            ModelResolutionException failure, DeploymentObservation d, Endpoint endpoint, Instant now) {
        Long generation = model.getMetadata().getGeneration();
        Condition ready;
        if (!d.exists()) {
            ready = of(ConditionType.READY, false, failure != null ? Reason.MODEL_NOT_RESOLVED : Reason.CREATING,
                    failure != null ? "Nothing is served until spec.model resolves." : "Creating the predictor pods.",
                    generation);
        } else if (d.desired() == 0) {
            ready = of(ConditionType.READY, false, Reason.SCALED_TO_ZERO, "spec.serving.replicas is 0.", generation);
        } else if (d.ready() > 0) {
            ready = of(ConditionType.READY, true, Reason.SERVING,
                    d.ready() + " of " + d.desired() + " predictor pods ready.", generation);
        } else {
            ready = of(ConditionType.READY, false, Reason.NO_READY_PODS,
                    "0 of " + d.desired() + " predictor pods ready.", generation);
        }

        Condition progressing = d.rolloutComplete() || !d.exists()
                ? of(ConditionType.PROGRESSING, !d.exists() && failure == null,
                        d.exists() ? Reason.ROLLOUT_COMPLETE : failure != null ? Reason.BLOCKED : Reason.CREATING,
                        d.exists() ? "All " + d.desired() + " predictor pods run the current version."
                                : failure != null ? "Waiting for spec.model to resolve." : "Creating the predictor pods.",
                        generation)
                : of(ConditionType.PROGRESSING, true, Reason.ROLLING_OUT,
                        d.updated() + " of " + d.desired() + " predictor pods updated, " + d.ready() + " ready.",
                        generation);

        Condition degraded;
        if (failure != null) {
            degraded = of(ConditionType.DEGRADED, true, failure.reason(),
                    failure.getMessage() + (serving != null && d.exists()
                            ? " Still serving " + describe(serving) + "." : ""),
                    generation);
        } else if (d.stalledMessage() != null) {
            degraded = of(ConditionType.DEGRADED, true, Reason.ROLLOUT_STALLED, d.stalledMessage(), generation);
        } else {
            degraded = of(ConditionType.DEGRADED, false, Reason.AS_EXPECTED, "No problems found.", generation);
        }

        List<Condition> next = modelResolved == null ? List.of(ready, progressing, degraded)
                : List.of(ready, modelResolved, progressing, degraded);
        RecommenderModelStatus previous = model.getStatus();
        return new RecommenderModelStatus(generation,
                Conditions.merge(previous != null ? previous.conditions() : null, next, now),
                serving,
                d.exists() ? d.desired() : null,
                d.exists() ? d.ready() : null,
                endpoint);
    }

    private static RecommenderModelStatus withConditions(RecommenderModelStatus s, List<Condition> conditions) {
        return new RecommenderModelStatus(s.observedGeneration(), conditions, s.model(), s.replicas(),
                s.readyReplicas(), s.endpoint());
    }

    static String describe(ResolvedModel m) {
        if (m.version() != null) {
            return m.name() + " version " + m.version() + (m.alias() != null ? " (alias " + m.alias() + ")" : "");
        }
        return "the model package at " + m.uri();
    }
}
