package dev.sequor.operator.status;

import static dev.sequor.operator.status.Conditions.of;

import dev.sequor.analysis.privacy.PrivacyLedger;
import dev.sequor.api.v1alpha1.CandidateStatus;
import dev.sequor.api.v1alpha1.Condition;
import dev.sequor.api.v1alpha1.Endpoint;
import dev.sequor.api.v1alpha1.Reason;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.RecommenderModelStatus;
import dev.sequor.api.v1alpha1.ResolvedModel;
import dev.sequor.api.v1alpha1.RolloutRecord;
import dev.sequor.api.v1alpha1.TrainingStatus;
import dev.sequor.api.v1alpha1.VariantStatus;
import dev.sequor.operator.registry.ModelResolutionException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Computes the next status from what was observed. Pure: values in, value out. */
public final class StatusBuilder {

    private StatusBuilder() {
    }

    /** What the champion's predictor Deployment and the router Deployment say. */
    public record Observed(DeploymentObservation champion, DeploymentObservation router) {
        public static final Observed ABSENT = new Observed(DeploymentObservation.ABSENT, DeploymentObservation.ABSENT);
    }

    /**
     * What the routers serve: the variants and the split in one line; while a new champion's pods
     * start, the version still serving as champion and a message saying so.
     */
    public record Serving(List<VariantStatus> variants, String split, ResolvedModel servedChampion, String switching,
            Rollout rollout) {
        public Serving(List<VariantStatus> variants, String split) {
            this(variants, split, null, null, Rollout.NONE);
        }

        static Serving of(RecommenderModelStatus previous) {
            return previous == null ? new Serving(null, null) : new Serving(previous.variants(), previous.split(), null,
                    null, new Rollout(previous.candidate(), previous.history(), null, null, null));
        }
    }

    /**
     * An analysed rollout as status shows it: the candidate, the history, and what Progressing or
     * Degraded say about it (null when they say nothing of it).
     */
    public record Rollout(CandidateStatus candidate, List<RolloutRecord> history, String progressing,
            Reason degradedReason, String degradedMessage) {
        public static final Rollout NONE = new Rollout(null, null, null, null, null);
    }

    /** The model resolved and the serving objects were applied. */
    public static RecommenderModelStatus resolved(RecommenderModel model, ResolvedModel resolved, Observed observed,
            Endpoint endpoint, Serving serving, Instant now) {
        Long generation = model.getMetadata().getGeneration();
        String message = describe(resolved) + (serving.variants() != null && serving.variants().size() > 1
                ? "; candidates: " + String.join(", ", serving.variants().stream().skip(1)
                        .map(v -> v.name() + " " + describe(v.model())).toList()) : "");
        Condition modelResolved = of(ConditionType.MODEL_RESOLVED, true, Reason.RESOLVED, message, generation);
        return build(model, serving.servedChampion() != null ? serving.servedChampion() : resolved, modelResolved, null,
                observed, endpoint, serving, now);
    }

    /**
     * The model did not resolve. The serving objects were left as they were, so status keeps the
     * version still being served and says why the new one is not.
     */
    public static RecommenderModelStatus resolutionFailed(RecommenderModel model, ModelResolutionException failure,
            Observed observed, Instant now) {
        RecommenderModelStatus previous = model.getStatus();
        Long generation = model.getMetadata().getGeneration();
        Condition modelResolved = of(ConditionType.MODEL_RESOLVED, false, failure.reason(), failure.getMessage(),
                generation);
        return build(model, previous != null ? previous.model() : null, modelResolved, failure, observed,
                previous != null ? previous.endpoint() : null, Serving.of(previous), now);
    }

    /** Something other than the registry failed while applying; reported, then retried. */
    public static RecommenderModelStatus reconcileFailed(RecommenderModel model, Reason reason, String message,
            Observed observed, Instant now) {
        RecommenderModelStatus previous = model.getStatus();
        Long generation = model.getMetadata().getGeneration();
        Condition modelResolved = previous == null ? null : previous.condition(ConditionType.MODEL_RESOLVED).orElse(null);
        Condition degraded = of(ConditionType.DEGRADED, true, reason, message, generation);
        RecommenderModelStatus next = build(model, previous != null ? previous.model() : null, modelResolved, null,
                observed, previous != null ? previous.endpoint() : null, Serving.of(previous), now);
        List<Condition> conditions = next.conditions().stream()
                .map(c -> c.type().equals(ConditionType.DEGRADED) ? degraded : c).toList();
        return withConditions(next, Conditions.merge(previous != null ? previous.conditions() : null, conditions, now));
    }

    private static RecommenderModelStatus build(RecommenderModel model, ResolvedModel serving, Condition modelResolved,
            ModelResolutionException failure, Observed observed, Endpoint endpoint, Serving split, Instant now) {
        Long generation = model.getMetadata().getGeneration();
        DeploymentObservation d = observed.champion();
        DeploymentObservation r = observed.router();
        Condition ready;
        if (!d.exists()) {
            ready = of(ConditionType.READY, false, failure != null ? Reason.MODEL_NOT_RESOLVED : Reason.CREATING,
                    failure != null ? "Nothing is served until spec.model resolves." : "Creating the predictor pods.",
                    generation);
        } else if (d.desired() == 0) {
            ready = of(ConditionType.READY, false, Reason.SCALED_TO_ZERO, "spec.serving.replicas is 0.", generation);
        } else if (d.ready() > 0 && r.ready() > 0) {
            ready = of(ConditionType.READY, true, Reason.SERVING, pods(d, r), generation);
        } else if (d.ready() > 0 && !r.exists()) {
            ready = of(ConditionType.READY, false, Reason.CREATING, "Creating the router pods.", generation);
        } else {
            ready = of(ConditionType.READY, false, Reason.NO_READY_PODS, pods(d, r), generation);
        }

        boolean complete = d.rolloutComplete() && (r.rolloutComplete() || !r.exists());
        Rollout rollout = split.rollout() != null ? split.rollout() : Rollout.NONE;
        Condition progressing = split.switching() != null || rollout.progressing() != null
                ? of(ConditionType.PROGRESSING, true, Reason.ROLLING_OUT,
                        split.switching() != null ? split.switching() : rollout.progressing(), generation)
                : complete || !d.exists()
                ? of(ConditionType.PROGRESSING, !d.exists() && failure == null,
                        d.exists() ? Reason.ROLLOUT_COMPLETE : failure != null ? Reason.BLOCKED : Reason.CREATING,
                        d.exists() ? "All " + d.desired() + " predictor pods run the current version."
                                : failure != null ? "Waiting for spec.model to resolve." : "Creating the predictor pods.",
                        generation)
                : of(ConditionType.PROGRESSING, true, Reason.ROLLING_OUT,
                        d.updated() + " of " + d.desired() + " predictor pods updated, " + d.ready() + " ready; "
                                + r.updated() + " of " + r.desired() + " router pods updated, " + r.ready() + " ready.",
                        generation);

        Condition degraded;
        String stalled = d.stalledMessage() != null ? d.stalledMessage() : r.stalledMessage();
        if (failure != null) {
            degraded = of(ConditionType.DEGRADED, true, failure.reason(),
                    failure.getMessage() + (serving != null && d.exists()
                            ? " Still serving " + describe(serving) + (split.split() != null ? " (" + split.split() + ")" : "")
                            + "." : ""),
                    generation);
        } else if (stalled != null) {
            degraded = of(ConditionType.DEGRADED, true, Reason.ROLLOUT_STALLED, stalled, generation);
        } else if (rollout.degradedReason() != null) {
            degraded = of(ConditionType.DEGRADED, true, rollout.degradedReason(), rollout.degradedMessage(), generation);
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
                endpoint,
                split.variants(),
                split.split(),
                rollout.candidate(),
                rollout.history() == null || rollout.history().isEmpty() ? null : rollout.history(),
                previous != null ? previous.training() : null);
    }

    /** The status with retraining's part replaced (it is decided apart from serving). */
    public static RecommenderModelStatus withTraining(RecommenderModelStatus s, TrainingStatus training) {
        return new RecommenderModelStatus(s.observedGeneration(), s.conditions(), s.model(), s.replicas(),
                s.readyReplicas(), s.endpoint(), s.variants(), s.split(), s.candidate(), s.history(), training);
    }

    /**
     * The status with the privacy budget's condition (with a budget) decided by retraining's look:
     * {@code PrivacyBudget} True while the next run fits, False once it would not.
     */
    public static RecommenderModelStatus withPrivacyBudget(RecommenderModelStatus s, List<Condition> previous,
            Optional<PrivacyLedger.Admission> admission, Long generation, Instant now) {
        List<Condition> conditions = new ArrayList<>();
        if (s.conditions() != null) {
            s.conditions().stream().filter(c -> !c.type().equals(ConditionType.PRIVACY_BUDGET)).forEach(conditions::add);
        }
        admission.ifPresent(a -> conditions.addAll(Conditions.merge(previous, List.of(Conditions.of(
                ConditionType.PRIVACY_BUDGET, a.admitted(), a.admitted() ? Reason.PRIVACY_BUDGET_AVAILABLE
                        : Reason.PRIVACY_BUDGET_EXHAUSTED, capitalized(a.describe()) + ".", generation)), now)));
        return withConditions(s, conditions);
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static String pods(DeploymentObservation champion, DeploymentObservation router) {
        return champion.ready() + " of " + champion.desired() + " champion predictor pods and " + router.ready() + " of "
                + router.desired() + " router pods ready.";
    }

    private static RecommenderModelStatus withConditions(RecommenderModelStatus s, List<Condition> conditions) {
        return new RecommenderModelStatus(s.observedGeneration(), conditions, s.model(), s.replicas(),
                s.readyReplicas(), s.endpoint(), s.variants(), s.split(), s.candidate(), s.history(), s.training());
    }

    static String describe(ResolvedModel m) {
        if (m.version() != null) {
            return m.name() + " version " + m.version() + (m.alias() != null ? " (alias " + m.alias() + ")" : "");
        }
        return "the model package at " + m.uri();
    }
}
