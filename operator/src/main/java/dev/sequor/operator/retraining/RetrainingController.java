package dev.sequor.operator.retraining;

import dev.sequor.analysis.privacy.DpSgdRun;
import dev.sequor.analysis.privacy.PrivacyLedger;
import dev.sequor.analysis.retraining.RetrainingTriggers;
import dev.sequor.analysis.retraining.TriggerDecision;
import dev.sequor.analysis.retraining.TriggerInputs;
import dev.sequor.analysis.retraining.TriggerPlan;
import dev.sequor.analysis.retraining.TriggerState;
import dev.sequor.analysis.rollout.Observation;
import dev.sequor.api.v1alpha1.Reason;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.RetrainingSpec;
import dev.sequor.api.v1alpha1.TrainingRunStatus;
import dev.sequor.api.v1alpha1.TrainingStatus;
import dev.sequor.operator.model.RetrainingJob;
import dev.sequor.operator.rollout.MetricSource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One look at a model's retraining: finished Jobs become run outcomes, the triggers decide
 * ({@link RetrainingTriggers}), a fired trigger becomes a Job to create. Kubernetes and the registry
 * come in as values and functions; what to create, report and record goes out.
 */
public final class RetrainingController {

    /** A person asks for a run: any value; removed once acted on. */
    public static final String RETRAIN_ANNOTATION = "sequor.dev/retrain";
    static final int RUNS_KEPT = 10;

    /** An Event to record on the resource. */
    public record Event(boolean warning, Reason reason, String message) {
    }

    /**
     * @param status status.training
     * @param create the Job of a run that starts now
     * @param lookAgainIn when the triggers want another look
     * @param privacyBudget with a privacy budget: whether the next run fits, and the numbers
     */
    public record Outcome(TrainingStatus status, Optional<Job> create, List<Event> events, Duration lookAgainIn,
            Optional<PrivacyLedger.Admission> privacyBudget) {
    }

    /**
     * What the controller reads around the resource.
     *
     * @param jobs the model's training Jobs in the informer's cache
     * @param jobNamed a Job by name when the cache does not have it yet (a GET)
     * @param candidateVersion the version the candidate alias points at now (the registry)
     * @param registry where Jobs register; empty when the operator knows no registry for the model
     * @param championVersion the version serving as champion (the new version's parent)
     * @param jobReports what a Job's pods reported (their termination messages, line by line)
     * @param recordedLedger the privacy ledger the registry keeps for the model (asked only with
     *     spec.retraining.privacy; empty when there is none or the registry cannot say)
     */
    public record Surroundings(Collection<Job> jobs, Function<String, Optional<Job>> jobNamed,
            Supplier<Optional<String>> candidateVersion, Optional<RetrainingJob.RegistryTarget> registry,
            String championVersion, Function<String, List<String>> jobReports,
            Supplier<Optional<String>> recordedLedger) {
    }

    private final MetricSource metrics;
    private final RetrainingJob.Defaults defaults;

    public RetrainingController(MetricSource metrics, RetrainingJob.Defaults defaults) {
        this.metrics = metrics;
        this.defaults = defaults;
    }

    public Outcome look(RecommenderModel model, Surroundings around, boolean manual, Instant now) {
        RetrainingSpec spec = model.getSpec().retraining();
        TrainingStatus previous = model.getStatus() != null ? model.getStatus().training() : null;
        List<Event> events = new ArrayList<>();
        List<DpSgdRun> trained = new ArrayList<>();
        List<TrainingRunStatus> runs = updateRuns(previous, around, events, trained);
        // Status is not durable (a resource re-created from git has none): the registry's copy counts too.
        PrivacyLedger ledger = PrivacyAccounting.current(previous, trained, runs.stream().anyMatch(r -> !r.finished()),
                spec.privacy() != null ? around.recordedLedger() : Optional::empty);

        TriggerPlan plan;
        try {
            plan = RetrainingPlans.of(spec);
        } catch (IllegalArgumentException e) {
            String message = "spec.retraining cannot be used: " + e.getMessage();
            events.add(new Event(true, Reason.INVALID_RETRAINING, message));
            return new Outcome(withRunsAndMessage(previous, runs, message, PrivacyAccounting.status(ledger, null)),
                    Optional.empty(), events, RetrainingPlans.DEFAULT_INTERVAL, Optional.empty());
        }

        TriggerState state = state(previous, now, around.jobs());
        boolean inProgress = runs.stream().anyMatch(r -> !r.finished())
                || around.jobs().stream().anyMatch(j -> !JobOutcomes.finished(j));
        Observation metric = plan.metric().isPresent()
                ? metrics.query(RetrainingPlans.metricQuery(spec.triggers().metric(), model)) : null;
        Observation newEvents = plan.newEvents().isPresent() ? metrics.query(RetrainingPlans.newEventsQuery(model,
                Duration.between(state.dataSince(), now).toSeconds())) : null;
        TriggerDecision decision = RetrainingTriggers.decide(plan, state, new TriggerInputs(metric, newEvents, manual,
                inProgress), now);

        Optional<Job> create = Optional.empty();
        TrainingStatus.TriggerRecord lastTrigger = previous != null ? previous.lastTrigger() : null;
        List<String> messages = new ArrayList<>(decision.notes());
        decision.notes().forEach(n -> events.add(new Event(true, Reason.TRIGGER_INCONCLUSIVE, n)));
        decision.suppressed().ifPresent(s -> {
            String message = "Trigger " + s.kind().label() + " was due, no run started: " + s.why() + ".";
            messages.add(message);
            events.add(new Event(false, Reason.TRIGGER_SUPPRESSED, message));
        });
        TriggerState next = decision.next();
        Optional<PrivacyLedger.Admission> budget = PrivacyAccounting.admission(ledger, spec.privacy());
        if (decision.fired().isPresent()) {
            TriggerDecision.Fired fired = decision.fired().get();
            if (budget.isPresent() && !budget.get().admitted()) {
                String message = "Trigger " + fired.kind().label() + " fired, no run started: "
                        + budget.get().describe() + ". Raise spec.retraining.privacy.budget.epsilon to go on.";
                events.add(new Event(true, Reason.PRIVACY_BUDGET_EXHAUSTED, message));
                messages.add(message);
                next = state;
            } else if (around.registry().isEmpty()) {
                String message = "Trigger " + fired.kind().label() + " fired, but the operator knows no registry for "
                        + "the Job to register into (set spec.model.registry.trackingUri or the operator's "
                        + "sequor.registry.* settings).";
                events.add(new Event(true, Reason.INVALID_RETRAINING, message));
                messages.add(message);
                next = state;
            } else {
                String jobName = RetrainingJob.name(model, now.getEpochSecond());
                create = Optional.of(RetrainingJob.build(model, new RetrainingJob.Run(jobName, fired.kind().label(),
                        around.championVersion(), ledger), around.registry().get(), defaults));
                runs.add(0, new TrainingRunStatus(jobName, fired.kind().label(), around.championVersion(),
                        now.toString(), null, TrainingRunStatus.RUNNING, null, fired.detail()));
                lastTrigger = new TrainingStatus.TriggerRecord(fired.kind().label(), now.toString(), fired.detail(),
                        fired.value());
                events.add(new Event(false, Reason.TRAINING_STARTED, "Started training Job " + jobName + " ("
                        + fired.kind().label() + ": " + fired.detail() + ")."));
            }
        }
        TrainingStatus status = new TrainingStatus(next.watchingSince().toString(), text(next.breachSince()),
                next.scheduleCheckedAt().toString(), text(next.lastRunStart()),
                decision.nextScheduled().map(Instant::toString).orElse(null), lastTrigger,
                messages.isEmpty() ? null : String.join(" ", messages), runs.isEmpty() ? null
                        : List.copyOf(runs.subList(0, Math.min(RUNS_KEPT, runs.size()))),
                PrivacyAccounting.status(ledger, spec.privacy()));
        return new Outcome(status, create, events, decision.lookAgainIn(), budget);
    }

    /** The runs of the last status, with the Jobs that finished since marked as they ended. */
    private static List<TrainingRunStatus> updateRuns(TrainingStatus previous, Surroundings around, List<Event> events,
            List<DpSgdRun> trained) {
        List<TrainingRunStatus> runs = new ArrayList<>();
        if (previous == null || previous.runs() == null) {
            return runs;
        }
        for (TrainingRunStatus run : previous.runs()) {
            if (run.finished()) {
                runs.add(run);
                continue;
            }
            Optional<Job> job = around.jobs().stream().filter(j -> j.getMetadata().getName().equals(run.job()))
                    .findFirst().or(() -> around.jobNamed().apply(run.job()));
            if (job.isEmpty()) {
                String message = "Job " + run.job() + " was deleted before it finished.";
                events.add(new Event(true, Reason.TRAINING_FAILED, message));
                runs.add(finish(run, TrainingRunStatus.FAILED, null, message, null));
                continue;
            }
            Optional<JobOutcomes.Finished> finished = JobOutcomes.of(job.get());
            if (finished.isPresent()) {
                // Every attempt that reached training spent privacy, whatever the outcome.
                trained.addAll(PrivacyAccounting.reported(around.jobReports().apply(run.job())));
            }
            if (finished.isEmpty()) {
                runs.add(run);
            } else if (finished.get().outcome().equals(TrainingRunStatus.SUCCEEDED)) {
                Optional<String> version = around.candidateVersion().get();
                String message = version.map(v -> "Version " + v + " registered as candidate; its rollout starts.")
                        .orElse("The Job succeeded, but the candidate alias points at no version.");
                events.add(new Event(version.isEmpty(), version.isPresent() ? Reason.TRAINING_SUCCEEDED
                        : Reason.TRAINING_FAILED, "Job " + run.job() + ": " + message));
                runs.add(finish(run, version.isPresent() ? TrainingRunStatus.SUCCEEDED : TrainingRunStatus.FAILED,
                        version.orElse(null), message, finished.get().completionTime()));
            } else {
                boolean rejected = finished.get().outcome().equals(TrainingRunStatus.REJECTED);
                events.add(new Event(true, rejected ? Reason.TRAINING_REJECTED : Reason.TRAINING_FAILED,
                        "Job " + run.job() + ": " + finished.get().message()));
                runs.add(finish(run, finished.get().outcome(), null, finished.get().message(),
                        finished.get().completionTime()));
            }
        }
        return runs;
    }

    private static TrainingRunStatus finish(TrainingRunStatus run, String outcome, String version, String message,
            String completionTime) {
        return new TrainingRunStatus(run.job(), run.trigger(), run.parentVersion(), run.startTime(), completionTime,
                outcome, version, message);
    }

    /**
     * The triggers' memory from status; the newest Job's creation counts as a run start too, so a
     * status write lost after a Job was created cannot start a second one.
     */
    private static TriggerState state(TrainingStatus previous, Instant now, Collection<Job> jobs) {
        TriggerState s = previous == null || previous.watchingSince() == null ? TriggerState.initial(now)
                : new TriggerState(Instant.parse(previous.watchingSince()), instant(previous.breachSince()),
                        previous.scheduleCheckedAt() != null ? Instant.parse(previous.scheduleCheckedAt()) : now,
                        instant(previous.lastRunStart()));
        Optional<Instant> newestJob = jobs.stream().map(j -> j.getMetadata().getCreationTimestamp())
                .filter(t -> t != null).map(Instant::parse).max(Instant::compareTo);
        if (newestJob.isPresent() && (s.lastRunStart() == null || newestJob.get().isAfter(s.lastRunStart()))) {
            s = new TriggerState(s.watchingSince(), s.breachSince(), s.scheduleCheckedAt(), newestJob.get());
        }
        return s;
    }

    /** The last status with the runs brought up to date and a message: what an unusable spec leaves. */
    private static TrainingStatus withRunsAndMessage(TrainingStatus previous, List<TrainingRunStatus> runs,
            String message, dev.sequor.api.v1alpha1.PrivacyStatus privacy) {
        TrainingStatus p = previous != null ? previous
                : new TrainingStatus(null, null, null, null, null, null, null, null, null);
        return new TrainingStatus(p.watchingSince(), p.breachSince(), p.scheduleCheckedAt(), p.lastRunStart(),
                null, p.lastTrigger(), message, runs.isEmpty() ? null : List.copyOf(runs),
                privacy != null ? privacy : p.privacy());
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
