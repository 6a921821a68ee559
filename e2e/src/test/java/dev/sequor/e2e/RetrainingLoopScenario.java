package dev.sequor.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.TrainingRunStatus;
import dev.sequor.api.v1alpha1.TrainingStatus;
import dev.sequor.contract.RuntimeContract;
import dev.sequor.modelpackage.RegisteredVersion;
import dev.sequor.modelpackage.RegistryException;
import dev.sequor.modelpackage.mlflow.MlflowCredentials;
import dev.sequor.modelpackage.mlflow.MlflowRegistry;
import dev.sequor.operator.reconciler.RecommenderModelReconciler;
import dev.sequor.operator.rollout.PrometheusMetricSource;
import dev.sequor.operator.testing.LocalJobRunner;
import dev.sequor.operator.testing.OperatorHarness;
import dev.sequor.operator.testing.RealCluster;
import dev.sequor.operator.testing.TestModels;
import dev.sequor.routing.TrafficSplit;
import dev.sequor.testing.MlflowServer;
import dev.sequor.testing.PrometheusServer;
import dev.sequor.testing.Repo;
import dev.sequor.testing.RuntimeProcess;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The closed loop on loopback, every part real: the API server and its Job controller, MLflow,
 * Prometheus scraping the router, the packaged runtime (a router storing feedback durably, a
 * predictor per version), the operator, and the trainer. Users click less; the metric trigger
 * fires; the operator creates the training Job; its pod is run here as a process with the Job's own
 * arguments and environment ({@link LocalJobRunner}); the trainer reads the base data and the
 * router's feedback, beats the champion offline, registers version 2 as candidate in MLflow; the
 * rollout starts. A second breach inside the cooldown starts nothing. Run once per feedback sink
 * (the subclasses): the embedded log on a claim, and a real Kafka broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RetrainingLoopScenario {

    /** The feedback sink of {@code spec.retraining.feedback}, as YAML flow. */
    abstract String feedbackSpec();

    /** Starts what the sink needs (registered in {@code running}); the router's environment for it, as the operator sets it. */
    abstract Map<String, String> startSink(Path feedbackDir, List<AutoCloseable> running) throws Exception;

    /** The Job's command reads the sink, and the trainer's log says what it read. */
    abstract void assertReadTheFeedback(LocalJobRunner.Run run, Path feedbackDir);

    private static final String MODEL = "games";
    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration TRAINING = Duration.ofMinutes(4);
    private static final String SPEC = """
            model: {registry: {name: games, alias: champion}}
            rollout:
              strategy: Canary
              candidateAlias: candidate
              steps: [{weight: 20, pause: 1h}]
              analysis: {interval: 5s, inconclusiveLimit: 1000}
            retraining:
              triggers:
                metric:
                  query: >-
                    sum(rate(sequor_feedback_events_total{model="{{model}}",event="click"}[10s]))
                    / sum(rate(sequor_recommendations_served_total{model="{{model}}"}[10s]))
                  below: 0.1
                  for: 6s
                interval: 2s
              cooldown: 1h
              feedback: %s
              job:
                baseData: {uri: 'pvc://datasets/interactions.txt'}
                hyperParameters: {epochs: '6', eval-every: '6', hidden: '16', max-length: '12', lr: '0.005',
                  threads: '1'}
                maxRegression: 0.05
            """;

    final List<AutoCloseable> running = new ArrayList<>();
    private KubernetesClient admin;
    String namespace;
    private MlflowServer mlflow;
    private MlflowRegistry registry;
    private List<String> trainer;
    private Path work;
    private SplitProjection projection;
    private TrafficSimulator traffic;
    private LocalJobRunner runner;

    @BeforeAll
    void start() throws Exception {
        admin = RealCluster.admin();
        namespace = RealCluster.newNamespace("retraining");
        work = Files.createTempDirectory("sequor-retraining");
        Path datasets = Files.createDirectories(work.resolve("datasets"));
        Path feedback = Files.createDirectories(work.resolve("feedback"));
        writeInteractions(datasets.resolve("interactions.txt"));
        mlflow = MlflowServer.start();
        running.add(mlflow);
        registry = new MlflowRegistry(mlflow.uri(), MlflowCredentials.NONE, Duration.ofSeconds(30));
        Path trainerDir = Repo.root().resolve("trainer/target");
        try (var jars = Files.list(trainerDir)) {
            Path jar = jars.filter(p -> p.getFileName().toString().matches("sequor-trainer-.*\\.jar")
                    && !p.getFileName().toString().contains("tests")).findFirst().orElseThrow();
            trainer = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    jar + java.io.File.pathSeparator + Files.readString(trainerDir.resolve("runtime-classpath.txt")).trim(),
                    "dev.sequor.trainer.cli.Train");
        }

        // Version 1, trained the way a person would before turning the loop on.
        List<String> first = new ArrayList<>(trainer);
        first.addAll(List.of("--data", datasets.resolve("interactions.txt").toString(), "--mlflow", mlflow.uri(),
                "--model-name", MODEL, "--alias", "champion", "--epochs", "6", "--eval-every", "6", "--hidden", "16",
                "--max-length", "12", "--lr", "0.005", "--threads", "1"));
        Process p = new ProcessBuilder(first).redirectErrorStream(true).redirectOutput(work.resolve("v1.log").toFile())
                .start();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(work.resolve("v1.log"))).isZero();

        Path split = Files.createDirectories(work.resolve("split")).resolve(TrafficSplit.FILE_NAME);
        projection = new SplitProjection(admin, namespace, MODEL + "-split", split);
        running.add(projection);
        startPredictor("1");
        Map<String, String> routerEnv = new java.util.HashMap<>(Map.of(RuntimeContract.MODEL_NAME, MODEL,
                RuntimeContract.ROLE, "router", RuntimeContract.ROUTER_SPLIT_FILE, split.toString(),
                "SEQUOR_ROUTER_RELOAD_INTERVAL", "200ms", "SEQUOR_ROUTER_CANDIDATE_TIMEOUT", "2s"));
        routerEnv.putAll(startSink(feedback, running));
        RuntimeProcess router = RuntimeProcess.start("router", routerEnv);
        running.add(router);
        PrometheusServer prometheus = PrometheusServer.start(List.of(router.url().substring("http://".length())));
        running.add(prometheus);

        LocalJobRunner.createClaim(admin, namespace, "datasets", datasets);
        LocalJobRunner.createClaim(admin, namespace, "feedback", feedback);
        runner = new LocalJobRunner(admin, namespace, Map.of(RecommenderModelReconciler.DEFAULT_TRAINER.image(), trainer),
                Files.createDirectories(work.resolve("job-logs"))).start();
        running.add(runner);
        running.add(OperatorHarness.start(RealCluster.operatorClient(), namespace, Optional.of(mlflow.uri()),
                Optional.empty(), new PrometheusMetricSource(prometheus.url(), Duration.ofSeconds(3))));
        admin.resource(TestModels.fromYaml(MODEL, namespace, SPEC.formatted(feedbackSpec()))).create();
        await().atMost(START).until(() -> projection.current() != null);
        router.awaitReady(START);
        traffic = new TrafficSimulator(router.url(), 3, 7, version -> 0.3);
        running.add(traffic);
        await().atMost(START).until(() -> traffic.answered() > 300);
    }

    @AfterAll
    void stop() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        if (namespace != null) {
            RealCluster.deleteNamespace(namespace);
        }
    }

    @Test
    void aQualityDropTrainsAVersionThatBecomesTheCandidateAndTheCooldownHoldsTheNextRunBack() throws Exception {
        // Healthy: the trigger reads the click-through rate and starts nothing.
        await().atMost(START).until(() -> training() != null && training().watchingSince() != null);
        await().pollDelay(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(20)).until(() -> true);
        assertThat(jobs()).as("no run while users click as before").isEmpty();
        assertThat(training().breachSince()).isNull();

        // Users stop clicking: below 0.1 for 6 s, and the operator starts a training Job.
        traffic.clickProbability(version -> 0.01);
        Job job = await().atMost(START).until(() -> jobs().stream().findFirst().orElse(null), j -> j != null);
        // The Job is created before the status that records its trigger is written.
        await().atMost(START).until(() -> training().lastTrigger() != null);
        assertThat(training().lastTrigger().kind()).isEqualTo("metric");
        assertThat(training().lastTrigger().value()).isLessThan(0.1);

        // The pod runs here; the trainer registers version 2 in MLflow and moves the candidate alias.
        RegisteredVersion v2 = await().atMost(TRAINING).pollInterval(Duration.ofSeconds(1))
                .until(this::candidateVersion, v -> v.isPresent()).orElseThrow();
        assertThat(v2.version()).isEqualTo("2");
        startPredictor("2");
        TrainingRunStatus run = await().atMost(START).until(() -> training().runs().get(0),
                r -> TrainingRunStatus.SUCCEEDED.equals(r.outcome()));
        assertThat(run.job()).isEqualTo(job.getMetadata().getName());
        assertThat(run.trigger()).isEqualTo("metric");
        assertThat(run.parentVersion()).isEqualTo("1");
        assertThat(run.version()).isEqualTo("2");
        assertThat(runner.runs()).singleElement().satisfies(r -> {
            assertThat(r.exitCode()).isZero();
            assertThat(r.command()).containsSubsequence("--mlflow", mlflow.uri()).contains("sequor.trigger=metric");
            assertReadTheFeedback(r, work.resolve("feedback"));
            String log = readQuietly(r.log());
            assertThat(log).contains("feedback:").contains("compare: new NDCG@10").contains("kept");
        });

        // Issue 7's rollout takes it from here: version 2 serves its first step.
        await().atMost(START).until(() -> {
            var c = model().getStatus().candidate();
            return c != null && c.model().version().equals("2") && c.weight() != null && c.weight() == 20;
        });
        await().atMost(START).until(() -> traffic.answeredBy("2") > 20);

        // Clicks stay low: the trigger is due again, inside the cooldown: no second Job, and it says so.
        await().atMost(START).until(() -> events().stream().anyMatch(e -> e.getReason().equals("TriggerSuppressed")
                && e.getMessage().contains("metric") && e.getMessage().contains("cooldown")));
        assertThat(jobs()).hasSize(1);
        assertThat(events()).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("TrainingStarted");
            assertThat(e.getMessage()).contains(job.getMetadata().getName(), "metric");
        }).anySatisfy(e -> assertThat(e.getReason()).isEqualTo("TrainingSucceeded"));
        assertThat(traffic.failures()).as("failed client requests").isEmpty();
    }

    private Optional<RegisteredVersion> candidateVersion() {
        try {
            return Optional.of(registry.resolve(MODEL, null, "candidate"));
        } catch (RegistryException e) {
            return Optional.empty();
        }
    }

    private void startPredictor(String version) throws Exception {
        RegisteredVersion v = registry.resolve(MODEL, version, null);
        RuntimeProcess p = RuntimeProcess.start("predictor-v" + version, Map.of(RuntimeContract.MODEL_NAME, MODEL,
                RuntimeContract.MODEL_VERSION, version, RuntimeContract.MODEL_URI, v.source(),
                RuntimeContract.MLFLOW_TRACKING_URI, mlflow.uri(), RuntimeContract.BATCH_MAX_DELAY, "1ms",
                "SEQUOR_INFERENCE_THREADS", "1"));
        running.add(p);
        p.awaitReady(START);
        projection.serve(version, p.url(), p.grpcTarget());
    }

    /**
     * Base data with a habit the model can learn: after item-k comes item-(k+1) most of the time. The
     * simulator's users show item-3 and item-7.
     */
    private static void writeInteractions(Path file) throws Exception {
        Random random = new Random(11);
        StringBuilder out = new StringBuilder();
        for (int u = 0; u < 400; u++) {
            int item = 1 + random.nextInt(40);
            int length = 6 + random.nextInt(8);
            for (int i = 0; i < length; i++) {
                out.append("base-").append(u).append(" item-").append(item).append('\n');
                item = random.nextDouble() < 0.8 ? item % 40 + 1 : 1 + random.nextInt(40);
            }
        }
        Files.writeString(file, out);
    }

    private TrainingStatus training() {
        RecommenderModel m = model();
        return m.getStatus() == null ? null : m.getStatus().training();
    }

    private RecommenderModel model() {
        return OperatorHarness.get(admin, namespace, MODEL);
    }

    private List<Job> jobs() {
        return admin.batch().v1().jobs().inNamespace(namespace).list().getItems();
    }

    private List<Event> events() {
        return admin.v1().events().inNamespace(namespace).list().getItems();
    }

    static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "";
        }
    }
}
