package dev.sequor.operator.reconciler;

import dev.sequor.analysis.rollout.Action;
import dev.sequor.analysis.rollout.Note;
import dev.sequor.api.v1alpha1.Reason;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.operator.rollout.RolloutController;
import dev.sequor.operator.rollout.RolloutPlans;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/** A person's rollout action (an annotation): read, acted on by the controller, then removed; and the rollout's Events. */
final class RolloutActions {

    private static final Logger LOG = Logger.getLogger(RolloutActions.class);

    private RolloutActions() {
    }

    static Optional<String> requested(RecommenderModel model) {
        return Annotations.value(model, RolloutController.ACTION_ANNOTATION);
    }

    /** Removes the annotation once acted on; a value that is no action is reported, then removed too. */
    static void clear(KubernetesClient client, RecommenderModel model, String value, StatusReporter reporter, Instant now) {
        if (Action.parse(value).isEmpty()) {
            reporter.event(model, "Warning", Reason.UNKNOWN_ROLLOUT_ACTION.value(), "Annotation " + RolloutController.ACTION_ANNOTATION
                    + "=" + value + " is not an action; use one of " + Arrays.stream(Action.values()).map(Action::value)
                            .collect(Collectors.joining(", ")) + ".", now);
        } else if (!RolloutPlans.analysed(model.getSpec().rollout())) {
            reporter.event(model, "Warning", Reason.UNKNOWN_ROLLOUT_ACTION.value(), "Annotation " + RolloutController.ACTION_ANNOTATION
                    + "=" + value + " ignored: spec.rollout has no analysis, so there is no rollout to act on.", now);
        }
        Annotations.remove(client, model, RolloutController.ACTION_ANNOTATION, value);
    }

    /** One Event per step of the rollout; a rollback or abort that Degraded reports is left to its Event. */
    static void recordEvents(StatusReporter reporter, RecommenderModel model, RolloutController.Outcome outcome,
            Instant now) {
        for (Note note : outcome.notes()) {
            boolean reportedByCondition = outcome.degraded()
                    .map(d -> d.reason().value().equals(note.event().reason())).orElse(false);
            if (!reportedByCondition) {
                reporter.event(model, note.event().warning() ? "Warning" : "Normal", note.event().reason(),
                        note.message(), now);
            }
        }
    }
}
