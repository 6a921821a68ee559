package dev.sequor.operator.rollout;

import dev.sequor.analysis.rollout.Action;
import dev.sequor.analysis.rollout.AnalysisRun;
import dev.sequor.analysis.rollout.Note;
import dev.sequor.analysis.rollout.Phase;
import dev.sequor.analysis.rollout.RolloutEvent;
import dev.sequor.analysis.rollout.RolloutPlan;
import dev.sequor.analysis.rollout.RolloutState;
import dev.sequor.analysis.rollout.Rollouts;
import dev.sequor.analysis.rollout.Transition;
import dev.sequor.api.v1alpha1.CandidateStatus;
import dev.sequor.api.v1alpha1.Reason;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.RecommenderModelStatus;
import dev.sequor.api.v1alpha1.RolloutRecord;
import dev.sequor.contract.Variant;
import dev.sequor.operator.model.ModelPackage;
import dev.sequor.operator.model.ServedVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An analysed rollout, one look at a time: which version is the candidate (the registry's
 * candidate alias, or spec.model moved away from the version serving as champion), what the
 * routers serve, and what status says. The decision itself is the core's ({@link Rollouts}); this
 * class supplies its inputs from the resource and turns its answer into served versions.
 */
public final class RolloutController {

    /** The annotation a person sets to act on a rollout; the operator acts on it and removes it. */
    public static final String ACTION_ANNOTATION = "sequor.dev/rollout-action";
    public static final String FROM_ALIAS = "candidateAlias";
    public static final String FROM_SPEC = "spec";
    static final int HISTORY_LIMIT = 10;

    private final RolloutAnalysis analysis;

    public RolloutController(RolloutAnalysis analysis) {
        this.analysis = analysis;
    }

    /**
     * What to serve and report.
     *
     * @param versions the champion first, then the candidate (while it is rolled out)
     * @param promoteAlias set when the champion alias must move to the candidate's version (registry-driven)
     * @param degraded set while a rolled-back or aborted candidate is the newest version (why, for Degraded)
     * @param progressing set while a rollout runs (its message, for Progressing)
     * @param lookAgainIn when the rollout wants its next look
     */
    public record Outcome(List<ServedVersion> versions, CandidateStatus candidate, List<RolloutRecord> history,
            List<Note> notes, Optional<String> promoteAlias, Optional<Degraded> degraded, Optional<String> progressing,
            Optional<Duration> lookAgainIn) {
    }

    public record Degraded(Reason reason, String message) {
    }

    /**
     * @param champion spec.model, resolved
     * @param fromAlias the version the candidate alias points at, if any
     * @param servedChampion the version serving as champion so far, while its pods are ready
     * @param ready whether a version's predictor pods are ready
     * @param action a person's action from {@link #ACTION_ANNOTATION}
     */
    public Outcome look(RecommenderModel model, ServedVersion champion, Optional<ModelPackage> fromAlias,
            Optional<ServedVersion> servedChampion, Predicate<ServedVersion> ready, Optional<Action> action, Instant now) {
        RolloutPlan plan = RolloutPlans.of(model.getSpec().rollout());
        RecommenderModelStatus status = model.getStatus();
        CandidateStatus previous = status != null ? status.candidate() : null;
        List<RolloutRecord> history = new ArrayList<>(status != null && status.history() != null ? status.history() : List.of());
        List<Note> notes = new ArrayList<>();

        ServedVersion stable = champion;
        ServedVersion candidate = null;
        String source = null;
        if (fromAlias.isPresent()) {
            ServedVersion aliased = new ServedVersion(Variant.CANDIDATE, fromAlias.get(), 0);
            if (!aliased.key().equals(champion.key())) {
                candidate = aliased;
                source = FROM_ALIAS;
            }
        }
        if (candidate == null && servedChampion.isPresent() && !servedChampion.get().key().equals(champion.key())) {
            stable = servedChampion.get();
            candidate = new ServedVersion(Variant.CANDIDATE, champion.pkg(), 0);
            source = FROM_SPEC;
        }
        boolean previousActive = previous != null && !Phase.valueOf(previous.phase()).finished();
        if (candidate == null) {
            if (previousActive) {
                RolloutState withdrawn = CandidateStatuses.state(previous);
                // The champion became the candidate's version without this look promoting it: moved by
                // hand in the registry, or promoted by a look whose status write did not happen.
                boolean promoted = withdrawn.version().equals(champion.version());
                String why = promoted ? "The champion is now this version (its alias moved)."
                        : "Withdrawn: the candidate no longer differs from the champion, or its alias is gone.";
                RolloutState ended = withdrawn.finished(promoted ? Phase.Promoted : Phase.Aborted, why, now);
                notes.add(new Note(promoted ? RolloutEvent.PROMOTED : RolloutEvent.ABORTED, "Rollout of version "
                        + withdrawn.version() + (promoted ? " ended: promoted. " : " aborted. ") + why));
                record(history, ended, previousChampion(status, champion));
                previous = CandidateStatuses.status(ended, plan, previous.model(), previous.source(), previous);
            }
            return new Outcome(List.of(champion), previous, history, notes, Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty());
        }

        String version = candidate.version();
        boolean sameCandidate = previous != null && version.equals(CandidateStatuses.state(previous).version());
        RolloutState state = sameCandidate ? CandidateStatuses.state(previous) : RolloutState.waiting(version);
        if (!sameCandidate && previousActive) {
            RolloutState superseded = CandidateStatuses.state(previous);
            String why = "Superseded by version " + version + ".";
            notes.add(new Note(RolloutEvent.ABORTED, "Rollout of version " + superseded.version() + " aborted. " + why));
            record(history, superseded.finished(Phase.Aborted, why, now), stable.version());
        }
        boolean candidateReady = ready.test(candidate);
        Optional<AnalysisRun> run = Optional.empty();
        if (candidateReady && Rollouts.analysisDue(plan, state, now)) {
            AnalysisQueries.Target target = new AnalysisQueries.Target(model.getMetadata().getName(),
                    model.getMetadata().getNamespace(), version, Variant.CANDIDATE, stable.version(),
                    plan.interval().toSeconds() + "s");
            run = Optional.of(analysis.run(model.getSpec().rollout().analysis(), target, plan.quality(), state.pValue(),
                    state.startedAt(), now));
        }
        Transition t = Rollouts.advance(plan, state, candidateReady, action, run, now);
        RolloutState next = t.state();
        notes.addAll(t.notes());
        if (next.phase().finished() && !state.phase().finished()) {
            record(history, next, stable.version());
        }
        CandidateStatus candidateStatus = CandidateStatuses.status(next, plan, candidate.pkg().resolved(), source,
                sameCandidate ? previous : null);
        String retry = " Version " + stable.version() + " serves everyone; to try again: kubectl annotate recmodel "
                + model.getMetadata().getName() + " " + ACTION_ANNOTATION + "=retry";
        return switch (next.phase()) {
            case Promoted -> new Outcome(List.of(new ServedVersion(Variant.CHAMPION, candidate.pkg(), 100)),
                    candidateStatus, history, notes,
                    FROM_ALIAS.equals(source) ? Optional.of(model.getSpec().model().registry().alias()) : Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty());
            case RolledBack -> new Outcome(List.of(stable), candidateStatus, history, notes, Optional.empty(),
                    Optional.of(new Degraded(Reason.ROLLOUT_ROLLED_BACK, "Version " + version + " was rolled back: "
                            + next.message() + retry)), Optional.empty(), Optional.empty());
            case Aborted -> new Outcome(List.of(stable), candidateStatus, history, notes, Optional.empty(),
                    Optional.of(new Degraded(Reason.ROLLOUT_ABORTED, "The rollout of version " + version
                            + " was aborted: " + next.message() + retry)), Optional.empty(), Optional.empty());
            default -> new Outcome(List.of(stable, new ServedVersion(Variant.CANDIDATE, candidate.pkg(),
                    next.weight(plan))), candidateStatus, history, notes, Optional.empty(), Optional.empty(),
                    Optional.of("Rolling out version " + version + " (" + next.phase() + "): " + next.message()),
                    Rollouts.untilNextLook(plan, next, now));
        };
    }

    /** The version the candidate was compared with: the champion served before this look. */
    private static String previousChampion(RecommenderModelStatus status, ServedVersion champion) {
        return status.variants() != null && !status.variants().isEmpty() && status.variants().get(0).model() != null
                ? status.variants().get(0).model().version() : champion.version();
    }

    private static void record(List<RolloutRecord> history, RolloutState finished, String championVersion) {
        history.add(0, new RolloutRecord(finished.version(), championVersion, finished.phase().name(), finished.message(),
                finished.startedAt() != null ? finished.startedAt().toString() : null,
                finished.finishedAt() != null ? finished.finishedAt().toString() : null));
        while (history.size() > HISTORY_LIMIT) {
            history.remove(history.size() - 1);
        }
    }
}
