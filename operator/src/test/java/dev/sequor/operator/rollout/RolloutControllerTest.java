package dev.sequor.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequor.analysis.rollout.Action;
import dev.sequor.analysis.rollout.Note;
import dev.sequor.analysis.rollout.Observation;
import dev.sequor.analysis.rollout.RolloutEvent;
import dev.sequor.api.v1alpha1.Reason;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.RecommenderModelStatus;
import dev.sequor.api.v1alpha1.ResolvedModel;
import dev.sequor.operator.model.ModelPackage;
import dev.sequor.operator.model.ServedVersion;
import dev.sequor.operator.testing.TestModels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The controller around the decision core: which version is the candidate, what is served, what status keeps. */
class RolloutControllerTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final String SPEC = """
            model: {registry: {name: movies-sasrec, alias: champion}}
            rollout:
              strategy: Canary
              candidateAlias: candidate
              steps: [{weight: 20, pause: 0s}, {weight: 50, pause: 0s}]
              analysis:
                interval: 10s
                guardrails: [{name: errors, metric: ErrorRate, max: 0.01}]
            """;

    private final List<String> queries = new ArrayList<>();
    private double errorRate = 0.001;
    private final RolloutController controller = new RolloutController(new RolloutAnalysis(promql -> {
        queries.add(promql);
        return Observation.of(errorRate);
    }));

    private static ServedVersion version(String variant, String version) {
        return new ServedVersion(variant, pkg(version), 100);
    }

    private static ModelPackage pkg(String version) {
        return new ModelPackage(new ResolvedModel("movies-sasrec", version, null, "file:///registry/" + version), null,
                null);
    }

    /** One look, then the status a reconcile would write kept on the model for the next. */
    private RolloutController.Outcome look(RecommenderModel model, ServedVersion champion, Optional<ModelPackage> alias,
            Optional<ServedVersion> served, boolean ready, Optional<Action> action, Instant at) {
        RolloutController.Outcome o = controller.look(model, champion, alias, served, v -> ready, action, at);
        model.setStatus(new RecommenderModelStatus(1L, null, null, null, null, null, null, null, o.candidate(),
                o.history(), null));
        return o;
    }

    @Test
    void aNewCandidateAliasStartsARolloutThatServesItsStepsAndMovesTheChampionAlias() {
        RecommenderModel model = TestModels.stored("movies", "ns", SPEC);
        ServedVersion v7 = version("champion", "7");
        RolloutController.Outcome waiting = look(model, v7, Optional.of(pkg("8")), Optional.of(v7), false,
                Optional.empty(), T0);
        assertThat(waiting.candidate().phase()).isEqualTo("Waiting");
        assertThat(waiting.candidate().source()).isEqualTo(RolloutController.FROM_ALIAS);
        assertThat(waiting.versions()).extracting(ServedVersion::variant, ServedVersion::version, ServedVersion::weight)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("champion", "7", 100),
                        org.assertj.core.groups.Tuple.tuple("candidate", "8", 0));
        RolloutController.Outcome started = look(model, v7, Optional.of(pkg("8")), Optional.of(v7), true,
                Optional.empty(), T0.plusSeconds(1));
        assertThat(started.versions().get(1).weight()).isEqualTo(20);
        assertThat(started.lookAgainIn()).hasValueSatisfying(d -> assertThat(d.toSeconds()).isEqualTo(10));
        assertThat(started.progressing()).hasValueSatisfying(m -> assertThat(m).contains("Rolling out version 8"));
        assertThat(queries).isEmpty();

        RolloutController.Outcome step2 = look(model, v7, Optional.of(pkg("8")), Optional.of(v7), true,
                Optional.empty(), T0.plusSeconds(11));
        assertThat(queries).singleElement().asString().isEqualTo("(sum(rate(sequor_request_errors_total{model=\"movies\","
                + "variant=\"candidate\",version=\"8\"}[10s])) or vector(0)) / sum(rate(sequor_requests_total{model=\"movies\","
                + "variant=\"candidate\",version=\"8\"}[10s]))");
        assertThat(step2.versions().get(1).weight()).isEqualTo(50);
        assertThat(step2.candidate().measurements()).singleElement()
                .satisfies(m -> assertThat(m.verdict()).isEqualTo("PASS"));

        RolloutController.Outcome promoted = look(model, v7, Optional.of(pkg("8")), Optional.of(v7), true,
                Optional.empty(), T0.plusSeconds(21));
        assertThat(promoted.promoteAlias()).contains("champion");
        assertThat(promoted.versions()).extracting(ServedVersion::variant, ServedVersion::version, ServedVersion::weight)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("champion", "8", 100));
        assertThat(promoted.history()).singleElement().satisfies(h -> {
            assertThat(h.outcome()).isEqualTo("Promoted");
            assertThat(h.championVersion()).isEqualTo("7");
        });
        assertThat(promoted.notes()).extracting(Note::event).containsExactly(RolloutEvent.PROMOTED);

        // The alias moved: champion and candidate alias agree; the finished rollout stays in status.
        RolloutController.Outcome after = look(model, version("champion", "8"), Optional.of(pkg("8")),
                Optional.of(version("champion", "8")), true, Optional.empty(), T0.plusSeconds(22));
        assertThat(after.versions()).hasSize(1);
        assertThat(after.candidate().phase()).isEqualTo("Promoted");
        assertThat(after.history()).hasSize(1);
        assertThat(after.lookAgainIn()).isEmpty();
    }

    @Test
    void aSpecEditRollsOutFromTheVersionServedSoFarAndARollbackKeepsItServing() {
        RecommenderModel model = TestModels.stored("movies", "ns", """
                model: {registry: {name: movies-sasrec, version: '8'}}
                rollout:
                  strategy: Canary
                  steps: [{weight: 20, pause: 1m}]
                  analysis:
                    interval: 10s
                    guardrails: [{name: errors, metric: ErrorRate, max: 0.01}]
                """);
        ServedVersion v7 = version("champion", "7");
        ServedVersion spec = version("champion", "8");
        look(model, spec, Optional.empty(), Optional.of(v7), true, Optional.empty(), T0);
        errorRate = 0.2;
        RolloutController.Outcome rolledBack = look(model, spec, Optional.empty(), Optional.of(v7), true,
                Optional.empty(), T0.plusSeconds(10));
        assertThat(rolledBack.candidate().source()).isEqualTo(RolloutController.FROM_SPEC);
        assertThat(rolledBack.versions()).extracting(ServedVersion::version).containsExactly("7");
        assertThat(rolledBack.promoteAlias()).isEmpty();
        assertThat(rolledBack.degraded()).hasValueSatisfying(d -> {
            assertThat(d.reason()).isEqualTo(Reason.ROLLOUT_ROLLED_BACK);
            assertThat(d.message()).contains("Version 8 was rolled back", "errors 0.2000 breaks <= 0.01000", "Version 7 serves everyone",
                    "sequor.dev/rollout-action=retry");
        });
        // Still rolled back at the next look: one history entry, not one per look.
        RolloutController.Outcome later = look(model, spec, Optional.empty(), Optional.of(v7), true, Optional.empty(),
                T0.plusSeconds(60));
        assertThat(later.versions()).extracting(ServedVersion::version).containsExactly("7");
        assertThat(later.history()).hasSize(1);
        assertThat(later.notes()).isEmpty();
        // A person retries: the candidate is served again from its first step once its pods are ready.
        errorRate = 0.001;
        RolloutController.Outcome retried = look(model, spec, Optional.empty(), Optional.of(v7), true,
                Optional.of(Action.RETRY), T0.plusSeconds(61));
        assertThat(retried.versions()).extracting(ServedVersion::version, ServedVersion::weight)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("7", 100), org.assertj.core.groups.Tuple.tuple("8", 20));
        assertThat(retried.degraded()).isEmpty();
    }

    @Test
    void aNewCandidateSupersedesOneStillRunning() {
        RecommenderModel model = TestModels.stored("movies", "ns", SPEC);
        ServedVersion v7 = version("champion", "7");
        look(model, v7, Optional.of(pkg("8")), Optional.of(v7), true, Optional.empty(), T0);
        RolloutController.Outcome o = look(model, v7, Optional.of(pkg("9")), Optional.of(v7), false, Optional.empty(),
                T0.plusSeconds(5));
        assertThat(o.candidate().model().version()).isEqualTo("9");
        assertThat(o.history()).singleElement().satisfies(h -> {
            assertThat(h.version()).isEqualTo("8");
            assertThat(h.outcome()).isEqualTo("Aborted");
            assertThat(h.message()).contains("Superseded by version 9");
        });
    }

    @Test
    void aChampionAliasMovedToTheCandidateEndsItsRolloutAsPromotedNotWithdrawn() {
        RecommenderModel model = TestModels.stored("movies", "ns", SPEC);
        ServedVersion v7 = version("champion", "7");
        look(model, v7, Optional.of(pkg("8")), Optional.of(v7), true, Optional.empty(), T0);
        // Served as champion already (a look that promoted it, whose status write was lost).
        RolloutController.Outcome o = look(model, version("champion", "8"), Optional.of(pkg("8")),
                Optional.of(version("champion", "8")), true, Optional.empty(), T0.plusSeconds(5));
        assertThat(o.candidate().phase()).isEqualTo("Promoted");
        assertThat(o.history()).singleElement().satisfies(h -> assertThat(h.outcome()).isEqualTo("Promoted"));
        RecommenderModel other = TestModels.stored("movies", "ns", SPEC);
        look(other, v7, Optional.of(pkg("8")), Optional.of(v7), true, Optional.empty(), T0);
        RolloutController.Outcome withdrawn = look(other, v7, Optional.empty(), Optional.of(v7), true, Optional.empty(),
                T0.plusSeconds(5));
        assertThat(withdrawn.candidate().phase()).as("its alias was removed").isEqualTo("Aborted");
        assertThat(withdrawn.versions()).extracting(ServedVersion::version).containsExactly("7");
    }

    @Test
    void everyRolloutEventIsAStableReason() {
        for (RolloutEvent e : RolloutEvent.values()) {
            assertThat(Reason.of(e.reason())).as(e.name()).isPresent();
        }
    }
}
