package dev.sequor.operator.reconciler;

import dev.sequor.api.v1alpha1.Reason;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.RecommenderModelStatus;
import dev.sequor.contract.TrainingContract;
import dev.sequor.operator.model.ModelPackage;
import dev.sequor.operator.model.RetrainingJob;
import dev.sequor.operator.registry.ModelResolutionException;
import dev.sequor.operator.registry.ModelResolver;
import dev.sequor.operator.registry.SecretLookup;
import dev.sequor.operator.registry.ServedVersions;
import dev.sequor.operator.retraining.RetrainingController;
import dev.sequor.operator.status.StatusBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The reconciler's side of retraining: the controller's look, the Job it asks for, Events, the annotation. */
final class Retraining {

    /** What the look left for the status and the next reconciliation. */
    record Result(RecommenderModelStatus status, Optional<Duration> lookAgainIn) {
    }

    private Retraining() {
    }

    /** Looks, creates the Job a trigger asked for, and reports the whole status (serving's and training's) once. */
    static Result look(RetrainingController controller, RecommenderModel model, RecommenderModelStatus next,
            Set<Job> jobs, KubernetesClient client, ModelResolver resolver, SecretLookup secrets,
            StatusReporter reporter, HandledRequests handled, Instant now) {
        Optional<String> annotation = requested(model);
        String uid = model.getMetadata().getUid();
        // A request already acted on may be read again from a cache that has not seen its removal yet.
        Optional<String> request = handled.fresh(uid, annotation);
        if (model.getSpec().retraining() == null) {
            reporter.report(model, next, now);
            request.ifPresent(r -> {
                reporter.event(model, "Warning", Reason.INVALID_RETRAINING.value(), "Annotation "
                        + RetrainingController.RETRAIN_ANNOTATION + " ignored: the resource has no spec.retraining.", now);
                handled.actedOn(uid, r);
                Annotations.remove(client, model, RetrainingController.RETRAIN_ANNOTATION, r);
            });
            return new Result(next, Optional.empty());
        }
        String ns = model.getMetadata().getNamespace();
        String champion = next.model() != null ? next.model().version() : null;
        RetrainingController.Outcome outcome = controller.look(model, new RetrainingController.Surroundings(jobs,
                name -> Optional.ofNullable(client.batch().v1().jobs().inNamespace(ns).withName(name).get()),
                () -> ServedVersions.candidateFromAlias(model, resolver, secrets)
                        .map(ModelPackage::resolved).map(r -> r.version()),
                resolver.trainingTarget(model.getSpec().model().registry()), champion,
                job -> reports(client, ns, job), () -> recordedLedger(model, resolver, secrets)), request.isPresent(),
                now);
        outcome.create().ifPresent(job -> create(client, job));
        RecommenderModelStatus withTraining = StatusBuilder.withPrivacyBudget(
                StatusBuilder.withTraining(next, outcome.status()),
                model.getStatus() != null ? model.getStatus().conditions() : null, outcome.privacyBudget(),
                model.getMetadata().getGeneration(), now);
        reporter.report(model, withTraining, now);
        outcome.events().forEach(e -> reporter.event(model, e.warning() ? "Warning" : "Normal", e.reason().value(),
                e.message(), now));
        request.ifPresent(r -> {
            handled.actedOn(uid, r);
            Annotations.remove(client, model, RetrainingController.RETRAIN_ANNOTATION, r);
        });
        return new Result(withTraining, Optional.of(outcome.lookAgainIn()));
    }

    /** The registry's copy of the privacy ledger; empty when the registry cannot be read now (status still counts). */
    private static Optional<String> recordedLedger(RecommenderModel model, ModelResolver resolver,
            SecretLookup secrets) {
        try {
            return resolver.modelTag(model.getSpec().model().registry(), model.getMetadata().getNamespace(), secrets,
                    TrainingContract.TAG_PRIVACY_LEDGER);
        } catch (ModelResolutionException e) {
            return Optional.empty();
        }
    }

    /** The termination messages of a Job's pods, line by line: what the trainer reported (its privacy runs). */
    private static List<String> reports(KubernetesClient client, String namespace, String job) {
        List<String> lines = new ArrayList<>();
        for (Pod pod : client.pods().inNamespace(namespace).withLabel("job-name", job).list().getItems()) {
            if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
                continue;
            }
            for (ContainerStatus c : pod.getStatus().getContainerStatuses()) {
                if (c.getState() != null && c.getState().getTerminated() != null
                        && c.getState().getTerminated().getMessage() != null) {
                    c.getState().getTerminated().getMessage().lines().map(String::trim).forEach(lines::add);
                }
            }
        }
        return lines;
    }

    private static void create(KubernetesClient client, Job job) {
        try {
            client.resource(job).create();
        } catch (KubernetesClientException e) {
            // Created by an earlier look whose status write was lost: the same run.
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
    }

    static Optional<String> requested(RecommenderModel model) {
        return Annotations.value(model, RetrainingController.RETRAIN_ANNOTATION);
    }
}
