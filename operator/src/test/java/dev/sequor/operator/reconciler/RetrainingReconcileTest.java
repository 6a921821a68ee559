package dev.sequor.operator.reconciler;

import static dev.sequor.operator.testing.OperatorHarness.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.sequor.api.v1alpha1.PrivacyStatus;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.TrainingRunStatus;
import dev.sequor.modelpackage.LocalRegistry;
import dev.sequor.operator.testing.LocalJobRunner;
import dev.sequor.operator.testing.StandInTrainer;
import dev.sequor.operator.testing.TestModels;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retraining against the real control plane and its real Job controller: a request by annotation
 * starts one Job, whose pod is run on this machine (a stand-in trainer, {@link LocalJobRunner});
 * how it ends becomes the run's outcome; the cooldown holds the next request back.
 */
class RetrainingReconcileTest extends OperatorTestNamespace {

    private static final String IMAGE = "registry.example/sequor-trainer:test";
    private static final String SPEC = """
            model: {registry: {name: games-sasrec, alias: champion}}
            rollout:
              strategy: Canary
              candidateAlias: candidate
              steps: [{weight: 10, pause: 1h}]
              analysis: {interval: 1h}
            retraining:
              cooldown: 1h
              job:
                image: %s
                baseData: {uri: 'pvc://datasets/games.txt'}
                hyperParameters: {stand-in-exit: '%d'}
                backoffLimit: 0
            """;

    @TempDir
    Path work;
    private LocalJobRunner runner;

    @BeforeEach
    void startRunner() throws Exception {
        LocalRegistry r = new LocalRegistry(registry);
        r.setAlias("games-sasrec", "champion", r.publish("games-sasrec", r.stagingDirectory("games-sasrec")));
        Path datasets = Files.createDirectories(work.resolve("datasets"));
        Files.writeString(datasets.resolve("games.txt"), "1 1\n1 2\n1 3\n");
        LocalJobRunner.createClaim(client, NS, "datasets", datasets);
        runner = new LocalJobRunner(client, NS, Map.of(IMAGE, List.of(Path.of(System.getProperty("java.home"), "bin",
                "java").toString(), "-cp", System.getProperty("java.class.path"), StandInTrainer.class.getName())),
                Files.createDirectories(work.resolve("logs"))).start();
    }

    @AfterEach
    void stopRunner() {
        runner.close();
    }

    @Test
    void aRequestStartsOneJobWhoseNewVersionBecomesTheCandidateAndTheCooldownHoldsTheNextBack() {
        apply("games", SPEC.formatted(IMAGE, 0));
        await().atMost(WAIT).until(() -> get(client, NS, "games").getStatus() != null
                && get(client, NS, "games").getStatus().training() != null);
        retrain("games", "first");

        await().atMost(WAIT).untilAsserted(() -> {
            RecommenderModel m = get(client, NS, "games");
            assertThat(m.getStatus().training().runs()).singleElement().satisfies(run -> {
                assertThat(run.outcome()).isEqualTo(TrainingRunStatus.SUCCEEDED);
                assertThat(run.version()).isEqualTo("2");
                assertThat(run.trigger()).isEqualTo("manual");
                assertThat(run.parentVersion()).isEqualTo("1");
                assertThat(run.completionTime()).isNotNull();
            });
            assertThat(m.getStatus().training().lastTrigger().kind()).isEqualTo("manual");
            assertThat(m.getMetadata().getAnnotations()).doesNotContainKey("sequor.dev/retrain");
            assertThat(m.getStatus().candidate()).isNotNull();
            assertThat(m.getStatus().candidate().model().version()).as("the rollout of the new version started").isEqualTo("2");
        });
        Job job = jobs().get(0);
        assertThat(job.getStatus().getSucceeded()).isEqualTo(1);
        assertThat(runner.runs()).singleElement().satisfies(run -> {
            assertThat(run.exitCode()).isZero();
            assertThat(run.command()).containsSubsequence("--model-name", "games-sasrec", "--alias", "candidate",
                    "--compare-with", "champion").contains("sequor.trigger=manual", "sequor.parent_version=1",
                    "sequor.training_job=" + job.getMetadata().getName());
        });
        assertThat(eventsWithReason("TrainingStarted")).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains(job.getMetadata().getName(), "manual"));
        assertThat(eventsWithReason("TrainingSucceeded")).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("Version 2 registered as candidate"));

        // Within the cooldown a second request starts nothing and says why.
        retrain("games", "second");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(eventsWithReason("TriggerSuppressed")).singleElement()
                    .satisfies(e -> assertThat(e.getMessage()).contains("manual", "cooldown"));
            assertThat(get(client, NS, "games").getMetadata().getAnnotations()).doesNotContainKey("sequor.dev/retrain");
        });
        assertThat(jobs()).hasSize(1);
    }

    @Test
    void aModelWorseThanTheChampionIsRejectedAtOnceAndAFailureSaysWhy() {
        apply("games", SPEC.formatted(IMAGE, 3).replace("cooldown: 1h", "cooldown: 0s"));
        await().atMost(WAIT).until(() -> get(client, NS, "games").getStatus() != null);
        retrain("games", "worse");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(get(client, NS, "games").getStatus().training().runs()).singleElement().satisfies(run -> {
                assertThat(run.outcome()).isEqualTo(TrainingRunStatus.REJECTED);
                assertThat(run.version()).isNull();
                assertThat(run.message()).contains("worse than the champion");
            });
            assertThat(eventsWithReason("TrainingRejected")).hasSize(1);
        });
        assertThat(new LocalRegistry(registry).version("games-sasrec", "1")).isNotNull();
        assertThat(Files.exists(registry.resolve("games-sasrec/aliases/candidate"))).as("nothing became the candidate")
                .isFalse();

        apply("games", SPEC.formatted(IMAGE, 1).replace("cooldown: 1h", "cooldown: 0s"));
        retrain("games", "failing");
        await().atMost(WAIT).untilAsserted(() -> {
            List<TrainingRunStatus> runs = get(client, NS, "games").getStatus().training().runs();
            assertThat(runs).hasSize(2);
            assertThat(runs.get(0).outcome()).isEqualTo(TrainingRunStatus.FAILED);
            assertThat(runs.get(0).message()).contains("BackoffLimitExceeded");
            assertThat(eventsWithReason("TrainingFailed")).hasSize(1);
        });
        assertThat(jobs()).hasSize(2);
    }

    /**
     * The privacy ledger: a run that trained counts even when it registers nothing; a retrain that
     * would take the data over the budget does not start (Event, condition, the remaining budget);
     * a budget raised in the spec lets the next one start, told what was spent.
     */
    @Test
    void theLedgerRefusesARetrainOverThePrivacyBudgetUntilTheBudgetIsRaised() {
        String privateSpec = SPEC.formatted(IMAGE, 3).replace("cooldown: 1h", "cooldown: 0s")
                .replace("stand-in-exit: '3'}", "stand-in-exit: '3', epochs: '10'}") + """
                  privacy:
                    differentialPrivacy: {targetEpsilon: 8, delta: 1.0e-6}
                    budget: {epsilon: %s}
                """;
        apply("games", privateSpec.formatted("10"));
        await().atMost(WAIT).until(() -> get(client, NS, "games").getStatus() != null);
        retrain("games", "first");
        await().atMost(WAIT).untilAsserted(() -> {
            RecommenderModel m = get(client, NS, "games");
            assertThat(m.getStatus().training().runs()).singleElement()
                    .satisfies(run -> assertThat(run.outcome()).isEqualTo(TrainingRunStatus.REJECTED));
            PrivacyStatus privacy = m.getStatus().training().privacy();
            assertThat(privacy.runs()).as("a rejected run trained: it counts").isEqualTo(1);
            assertThat(privacy.epsilonSpent()).isCloseTo(8, within(1e-6));
            assertThat(privacy.budget()).isEqualTo(10);
            assertThat(condition(m, "PrivacyBudget")).satisfies(c -> {
                assertThat(c.status()).isEqualTo("False");
                assertThat(c.reason()).isEqualTo("PrivacyBudgetExhausted");
                assertThat(c.message()).contains("2.000 remaining");
            });
        });
        assertThat(runner.runs()).singleElement().satisfies(run -> assertThat(run.command())
                .containsSubsequence("--dp-epsilon", "8.0", "--dp-delta", "1.0E-6", "--max-grad-norm", "1.0",
                        "--privacy-budget", "10.0").doesNotContain("--privacy-spent"));

        retrain("games", "second");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(eventsWithReason("PrivacyBudgetExhausted")).singleElement()
                    .satisfies(e -> assertThat(e.getMessage()).contains("manual", "over the budget", "2.000 remaining"));
            assertThat(get(client, NS, "games").getMetadata().getAnnotations()).doesNotContainKey("sequor.dev/retrain");
        });
        assertThat(jobs()).as("no Job for a run over the budget").hasSize(1);

        String firstRun = get(client, NS, "games").getStatus().training().privacy().ledger();
        apply("games", privateSpec.formatted("20"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(condition(get(client, NS, "games"), "PrivacyBudget").status())
                .isEqualTo("True"));
        retrain("games", "third");
        await().atMost(WAIT).untilAsserted(() -> {
            PrivacyStatus privacy = get(client, NS, "games").getStatus().training().privacy();
            assertThat(privacy.runs()).isEqualTo(2);
            assertThat(privacy.epsilonSpent()).as("composed: more than one run, less than two runs' sum")
                    .isGreaterThan(8).isLessThan(16);
        });
        assertThat(jobs()).hasSize(2);
        assertThat(runner.runs()).hasSize(2).last().satisfies(run -> assertThat(run.command())
                .containsSubsequence("--privacy-budget", "20.0", "--privacy-spent", firstRun));
    }

    /**
     * Status is not durable: a resource deleted and applied again from git starts without one. The
     * registry's copy of the ledger (the registered model's tag, written by each run before it trains)
     * rebuilds it, and the budget still holds.
     */
    @Test
    void theLedgerSurvivesTheLossOfStatusThroughTheRegistry() {
        String privateSpec = SPEC.formatted(IMAGE, 3).replace("cooldown: 1h", "cooldown: 0s") + """
                  privacy:
                    differentialPrivacy: {targetEpsilon: 8, delta: 1.0e-6}
                    budget: {epsilon: 10}
                """;
        apply("books", privateSpec);
        await().atMost(WAIT).until(() -> get(client, NS, "books").getStatus() != null);
        retrain("books", "first");
        await().atMost(WAIT).untilAsserted(() -> assertThat(get(client, NS, "books").getStatus().training().privacy()
                .runs()).isEqualTo(1));
        String ledger = get(client, NS, "books").getStatus().training().privacy().ledger();

        client.resources(RecommenderModel.class).inNamespace(NS).withName("books").delete();
        await().atMost(WAIT).until(() -> client.resources(RecommenderModel.class).inNamespace(NS).withName("books")
                .get() == null);
        apply("books", privateSpec);
        await().atMost(WAIT).untilAsserted(() -> {
            RecommenderModel m = get(client, NS, "books");
            assertThat(m.getStatus()).isNotNull().extracting(s -> s.training()).isNotNull();
            assertThat(m.getStatus().training().runs()).as("a new resource: no runs of its own").isNull();
            PrivacyStatus privacy = m.getStatus().training().privacy();
            assertThat(privacy.runs()).as("rebuilt from the registry").isEqualTo(1);
            assertThat(privacy.ledger()).isEqualTo(ledger);
            assertThat(condition(m, "PrivacyBudget").reason()).isEqualTo("PrivacyBudgetExhausted");
        });
        retrain("books", "again");
        await().atMost(WAIT).untilAsserted(() -> assertThat(eventsWithReason("PrivacyBudgetExhausted"))
                .anySatisfy(e -> assertThat(e.getMessage()).contains("manual", "2.000 remaining")));
        assertThat(runner.runs()).as("no second run").hasSize(1);
    }

    private void retrain(String name, String value) {
        TestModels.annotate(client, NS, name, "sequor.dev/retrain", value);
    }

    private List<Job> jobs() {
        return client.batch().v1().jobs().inNamespace(NS).list().getItems();
    }
}
