package dev.sequor.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sequor.api.v1alpha1.CandidateStatus;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.RolloutRecord;
import dev.sequor.contract.RuntimeContract;
import dev.sequor.modelpackage.LocalRegistry;
import dev.sequor.operator.rollout.PrometheusMetricSource;
import dev.sequor.operator.rollout.RolloutController;
import dev.sequor.operator.testing.OperatorHarness;
import dev.sequor.operator.testing.RealCluster;
import dev.sequor.operator.testing.TestModels;
import dev.sequor.routing.Route;
import dev.sequor.routing.TrafficSplit;
import dev.sequor.testing.GoldenPackages;
import dev.sequor.testing.PrometheusServer;
import dev.sequor.testing.RuntimeProcess;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Rollouts under load, every part real: the operator (its own identity and RBAC) against the real
 * API server, the local registry's aliases, the packaged runtime as a router and as predictors of
 * each version, a real Prometheus scraping the router, and users who ask for recommendations and
 * click. The only stand-ins: the split ConfigMap reaches the router's file through
 * {@link SplitProjection} (the kubelet's job), and one candidate's faults come from
 * {@link FaultInjectingProxy}. One resource lives through the scenarios in order, as a model's
 * versions would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloutScenariosIT {

    private static final String MODEL = "synthetic";
    private static final double CLICK = 0.3;
    /** The quality of version 4: users click its first item far less often. */
    private static final double WORSE_CLICK = 0.05;
    /** The quality of version 1 in the A/B test: clicked far more often. */
    private static final double BETTER_CLICK = 0.55;
    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration DECISION = Duration.ofMinutes(3);
    private static final String SPEC = """
            model: {registry: {name: synthetic, alias: champion}}
            rollout:
              strategy: Canary
              salt: e2e
              candidateAlias: candidate
              steps: [{weight: 30, pause: 6s}, {weight: 60, pause: 6s}]
              analysis:
                interval: 3s
                inconclusiveLimit: 30
                guardrails:
                  - {name: errors, metric: ErrorRate, max: 0.05}
                  - {name: fallbacks, metric: FallbackRate, max: 0.05}
                quality: {metric: HitRate, event: click, alpha: 0.001, minimumEffect: 0.1, minimumTrials: 200}
            """;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, RuntimeProcess> predictors = new HashMap<>();
    private KubernetesClient admin;
    private String namespace;
    private LocalRegistry registry;
    private RuntimeProcess router;
    private PrometheusServer prometheus;
    private SplitProjection projection;
    private OperatorHarness operator;
    private TrafficSimulator traffic;
    private FaultInjectingProxy faulty;

    @BeforeAll
    void start() throws Exception {
        admin = RealCluster.admin();
        namespace = RealCluster.newNamespace("rollouts");
        Path root = Files.createTempDirectory("sequor-registry");
        registry = new LocalRegistry(root);
        for (int v = 1; v <= 5; v++) {
            Path staged = registry.stagingDirectory(MODEL);
            try (Stream<Path> files = Files.list(GoldenPackages.version(v % 2 == 1 ? 1 : 2))) {
                for (Path f : files.toList()) {
                    Files.copy(f, staged.resolve(f.getFileName()));
                }
            }
            assertThat(registry.publish(MODEL, staged)).isEqualTo(Integer.toString(v));
        }
        registry.setAlias(MODEL, "champion", "1");
        Path split = Files.createTempDirectory("sequor-split").resolve(TrafficSplit.FILE_NAME);
        projection = new SplitProjection(admin, namespace, MODEL + "-split", split);
        startPredictor("1");
        startPredictor("2");
        router = RuntimeProcess.start("router", Map.of(RuntimeContract.MODEL_NAME, MODEL, RuntimeContract.ROLE, "router",
                RuntimeContract.ROUTER_SPLIT_FILE, split.toString(), "SEQUOR_ROUTER_RELOAD_INTERVAL", "200ms",
                "SEQUOR_ROUTER_PROBE_INTERVAL", "300ms", "SEQUOR_ROUTER_CANDIDATE_TIMEOUT", "2s"));
        prometheus = PrometheusServer.start(List.of(router.url().substring("http://".length())));
        operator = OperatorHarness.start(RealCluster.operatorClient(), namespace, Optional.empty(), Optional.of(root),
                new PrometheusMetricSource(prometheus.url(), Duration.ofSeconds(3)));
        admin.resource(TestModels.fromYaml(MODEL, namespace, SPEC)).create();
        await().atMost(START).until(() -> projection.current() != null);
        router.awaitReady(START);
        traffic = new TrafficSimulator(router.url(), 4, 42, version -> version.equals("4") ? WORSE_CLICK : CLICK);
        await().atMost(START).until(() -> traffic.answered() > 200);
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {traffic, operator, projection, prometheus, router, faulty}) {
            if (c != null) {
                c.close();
            }
        }
        predictors.values().forEach(RuntimeProcess::close);
        if (namespace != null) {
            RealCluster.deleteNamespace(namespace);
        }
    }

    @AfterEach
    void noClientRequestFailed() {
        assertThat(projection.problem()).as("the split reached the router").isNull();
        assertThat(traffic.failures()).as("failed client requests (recommendations and feedback)").isEmpty();
    }

    @Test
    @Order(1)
    void aGoodCandidateGoesThroughEveryStepAndIsPromoted() {
        setCandidateAlias("2");
        CandidateStatus done = awaitPhase("2", "Promoted");
        assertThat(done.message()).contains("Passed every step");
        assertThat(done.test().candidateTrials()).isGreaterThanOrEqualTo(200);
        assertThat(registry.versionOf(MODEL, "champion")).as("the champion alias moved").isEqualTo("2");
        assertThat(history().get(0)).satisfies(h -> {
            assertThat(h.version()).isEqualTo("2");
            assertThat(h.championVersion()).isEqualTo("1");
            assertThat(h.outcome()).isEqualTo("Promoted");
        });
        awaitEvents("RolloutStarted", "RolloutStepAdvanced", "RolloutPromoted");
        awaitSplit("2", 100);
        assertThat(traffic.answeredBy("2")).isPositive();
        stopPredictor("1");
    }

    @Test
    @Order(2)
    void aCandidateWithErrorsIsRolledBackInItsFirstStepAndTheChampionKeepsServing() throws IOException {
        RuntimeProcess v3 = startPredictor("3");
        faulty = new FaultInjectingProxy(v3.url(), 0.5);
        projection.serve("3", faulty.url(), v3.grpcTarget());
        setCandidateAlias("3");
        CandidateStatus done = awaitPhase("3", "RolledBack");
        assertThat(done.message()).contains("Guardrail breached", "fallbacks");
        assertThat(done.step()).as("rolled back before its first step ended").isEqualTo(1);
        assertThat(done.measurements()).anySatisfy(m -> {
            assertThat(m.name()).isEqualTo("fallbacks");
            assertThat(m.verdict()).isEqualTo("BREACH");
        });
        assertThat(registry.versionOf(MODEL, "champion")).as("the alias is not moved").isEqualTo("2");
        assertThat(model().getStatus().condition("Degraded")).hasValueSatisfying(c -> {
            assertThat(c.status()).isEqualTo("True");
            assertThat(c.reason()).isEqualTo("RolloutRolledBack");
            assertThat(c.message()).contains("Version 2 serves everyone");
        });
        awaitSplit("2", 100);
    }

    @Test
    @Order(3)
    void aPersonRetriesPausesAndAbortsWithAnnotations() {
        faulty.failureRate(0);
        annotate("retry");
        awaitPhase("3", "Progressing");
        annotate("pause");
        CandidateStatus paused = awaitPhase("3", "Paused");
        // Two analysis runs later the step's pause is long over, and it still holds.
        String first = awaitNextAnalysis(paused.lastAnalysisAt());
        String second = awaitNextAnalysis(first);
        CandidateStatus held = candidate();
        assertThat(held.phase()).isEqualTo("Paused");
        assertThat(held.step()).isEqualTo(1);
        assertThat(held.weight()).isEqualTo(30);
        assertThat(held.lastAnalysisAt()).isEqualTo(second);
        annotate("abort");
        CandidateStatus aborted = awaitPhase("3", "Aborted");
        assertThat(aborted.message()).contains("Aborted by hand");
        assertThat(model().getStatus().condition("Degraded").orElseThrow().reason()).isEqualTo("RolloutAborted");
        assertThat(model().getMetadata().getAnnotations()).doesNotContainKey(RolloutController.ACTION_ANNOTATION);
        awaitEvents("RolloutPaused", "RolloutResumed");
        awaitSplit("2", 100);
    }

    @Test
    @Order(4)
    void aCandidateOfLowerQualityIsRolledBackByTheSequentialTest() {
        startPredictor("4");
        stopPredictor("3");
        faulty.close();
        setCandidateAlias("4");
        CandidateStatus done = awaitPhase("4", "RolledBack");
        assertThat(done.message()).contains("Quality worse than the champion");
        assertThat(done.test().decision()).isEqualTo("CANDIDATE_WORSE");
        assertThat(done.test().pValue()).isLessThanOrEqualTo(0.001);
        assertThat(done.test().effect()).isNegative();
        assertThat(registry.versionOf(MODEL, "champion")).isEqualTo("2");
        awaitSplit("2", 100);
    }

    @Test
    @Order(5)
    void prometheusGoingAwayHoldsTheRolloutUntilItReturns() {
        startPredictor("5");
        stopPredictor("4");
        setCandidateAlias("5");
        CandidateStatus measured = await().atMost(DECISION).until(this::shown,
                c -> c != null && c.model().version().equals("5") && c.lastAnalysisAt() != null);
        assertThat(measured.phase()).isEqualTo("Progressing");
        prometheus.stop();
        CandidateStatus held = awaitPhase("5", "Inconclusive");
        assertThat(held.message()).contains("did not answer");
        assertThat(held.failures()).as("no data is never a failure").isZero();
        awaitEvent("AnalysisInconclusive", "did not answer");
        prometheus.restart();
        CandidateStatus done = awaitPhase("5", "Promoted");
        assertThat(registry.versionOf(MODEL, "champion")).isEqualTo("5");
        assertThat(history()).extracting(RolloutRecord::version, RolloutRecord::outcome).startsWith(
                org.assertj.core.groups.Tuple.tuple("5", "Promoted"), org.assertj.core.groups.Tuple.tuple("4", "RolledBack"));
        awaitEvent("RolloutResumed", "Analysis has data again; rollout of version 5 resumed");
        assertThat(done.inconclusive()).isZero();
        awaitSplit("5", 100);
    }

    @Test
    @Order(6)
    void aSpecEditToAPinnedVersionIsRolledOutTheSameWay() {
        TestModels.replaceSpec(admin, namespace, MODEL, SPEC
                .replace("model: {registry: {name: synthetic, alias: champion}}",
                        "model: {registry: {name: synthetic, version: '2'}}")
                .replace("  candidateAlias: candidate\n", ""));
        CandidateStatus done = awaitPhase("2", "Promoted");
        assertThat(done.source()).isEqualTo(RolloutController.FROM_SPEC);
        assertThat(history().get(0)).satisfies(h -> {
            assertThat(h.version()).isEqualTo("2");
            assertThat(h.championVersion()).isEqualTo("5");
        });
        assertThat(registry.versionOf(MODEL, "champion")).as("a spec-driven rollout moves no alias").isEqualTo("5");
        awaitSplit("2", 100);
        await().atMost(DECISION).until(() -> model().getStatus().model().version().equals("2"));
        stopPredictor("5");
    }

    @Test
    @Order(7)
    void anAbTestIsPromotedWhenTheSequentialTestFindsTheCandidateBetter() {
        startPredictor("1");
        traffic.clickProbability(version -> version.equals("1") ? BETTER_CLICK : CLICK);
        TestModels.replaceSpec(admin, namespace, MODEL, """
                model: {registry: {name: synthetic, version: '1'}}
                rollout:
                  strategy: ABTest
                  salt: e2e-ab
                  steps: [{weight: 50, pause: 0s}]
                  analysis:
                    interval: 3s
                    maxDuration: 10m
                    guardrails: [{name: errors, metric: ErrorRate, max: 0.05}]
                    quality: {metric: HitRate, event: click, alpha: 0.001, minimumEffect: 0.1, minimumTrials: 200}
                """);
        CandidateStatus done = awaitPhase("1", "Promoted");
        assertThat(done.message()).contains("Better than the champion");
        assertThat(done.test().decision()).isEqualTo("CANDIDATE_BETTER");
        assertThat(done.test().pValue()).isLessThanOrEqualTo(0.001);
        assertThat(done.test().effect()).isPositive();
        awaitSplit("1", 100);
    }

    @Test
    @Order(8)
    void aShadowIsJudgedByItsAgreementOnMirroredTraffic() {
        // Version 2 is another model: on these users' histories its lists share nothing with version 1's.
        TestModels.replaceSpec(admin, namespace, MODEL, shadowOf("2"));
        CandidateStatus disagreeing = awaitPhase("2", "RolledBack");
        assertThat(disagreeing.measurements()).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("agreement");
            assertThat(m.value()).isLessThan(0.05);
            assertThat(m.verdict()).isEqualTo("BREACH");
        });
        // Version 3 is the same package as version 1: the lists agree, and after its comparison time it is promoted.
        startPredictor("3");
        TestModels.replaceSpec(admin, namespace, MODEL, shadowOf("3"));
        CandidateStatus agreeing = awaitPhase("3", "Promoted");
        assertThat(agreeing.message()).contains("Compared for 6s with every guardrail passing");
        assertThat(agreeing.measurements()).singleElement()
                .satisfies(m -> assertThat(m.value()).as("overlap@k with the answers users got").isEqualTo(1.0));
        awaitSplit("3", 100);
    }

    private static String shadowOf(String version) {
        return """
                model: {registry: {name: synthetic, version: '%s'}}
                rollout:
                  strategy: Shadow
                  shadowShare: 0.5
                  steps: [{weight: 0, pause: 6s}]
                  analysis:
                    interval: 3s
                    guardrails: [{name: agreement, metric: ShadowOverlap, min: 0.05}]
                """.formatted(version);
    }

    /** What a training pipeline does when it registers a version for rollout. */
    private void setCandidateAlias(String version) {
        try {
            registry.setAlias(MODEL, "candidate", version);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private RuntimeProcess startPredictor(String version) {
        try {
            RuntimeProcess p = RuntimeProcess.start("predictor-v" + version, Map.of(RuntimeContract.MODEL_NAME, MODEL,
                    RuntimeContract.MODEL_VERSION, version,
                    RuntimeContract.MODEL_URI, registry.directory(MODEL, version).toUri().toString(),
                    RuntimeContract.BATCH_MAX_DELAY, "1ms", "SEQUOR_INFERENCE_THREADS", "1"));
            predictors.put(version, p);
            p.awaitReady(START);
            // Warm: a cold JVM's first answers are slow, and a slow candidate is a fallback.
            for (int i = 0; i < 100; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(p.url() + "/v1/recommendations"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"userId\":\"warm-" + i + "\",\"history\":[\"item-3\"],\"k\":5}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
            }
            projection.serve(version, p.url(), p.grpcTarget());
            return p;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops a version's predictor once the split the router reads no longer names it. */
    private void stopPredictor(String version) {
        await().atMost(DECISION).until(() -> projection.current().variants().stream()
                .noneMatch(r -> r.version().equals(version)));
        // The router applies a new split within its reload interval; requests already sent finish first.
        await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
        predictors.remove(version).close();
    }

    private void annotate(String action) {
        admin.resources(RecommenderModel.class).inNamespace(namespace).withName(MODEL).edit(m -> {
            Map<String, String> annotations = new HashMap<>(m.getMetadata().getAnnotations() != null
                    ? m.getMetadata().getAnnotations() : Map.of());
            annotations.put(RolloutController.ACTION_ANNOTATION, action);
            m.getMetadata().setAnnotations(annotations);
            return m;
        });
        await().atMost(DECISION).until(() -> {
            Map<String, String> a = model().getMetadata().getAnnotations();
            return a == null || !a.containsKey(RolloutController.ACTION_ANNOTATION);
        });
    }

    private RecommenderModel model() {
        return OperatorHarness.get(admin, namespace, MODEL);
    }

    private CandidateStatus candidate() {
        RecommenderModel m = model();
        return m.getStatus() == null ? null : m.getStatus().candidate();
    }

    private List<RolloutRecord> history() {
        return model().getStatus().history();
    }

    private CandidateStatus awaitPhase(String version, String phase) {
        return await().atMost(DECISION).pollInterval(Duration.ofMillis(200)).until(this::shown,
                c -> c != null && c.model().version().equals(version) && c.phase().equals(phase));
    }

    private String lastShown;

    /** The candidate's status, printed when it changes: the rollout's progress with its live numbers. */
    private CandidateStatus shown() {
        CandidateStatus c = candidate();
        String line = c == null ? "no candidate" : RolloutProgress.describe(c);
        if (!line.equals(lastShown)) {
            System.out.println("[rollout] " + line);
            lastShown = line;
        }
        return c;
    }

    private String awaitNextAnalysis(String after) {
        return await().atMost(DECISION).until(() -> candidate().lastAnalysisAt(), a -> a != null && !a.equals(after));
    }

    private void awaitSplit(String championVersion, int weight) {
        await().atMost(DECISION).until(() -> {
            Route champion = projection.current().champion();
            return champion.version().equals(championVersion) && champion.weight() == weight;
        });
    }

    /** Events are recorded just after the status they report: waited for, not read at once. */
    private void awaitEvents(String... reasons) {
        await().atMost(Duration.ofSeconds(30)).until(() -> eventReasons().containsAll(List.of(reasons)));
    }

    private void awaitEvent(String reason, String messagePart) {
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.v1().events().inNamespace(namespace).list().getItems()
                .stream().anyMatch(e -> e.getReason().equals(reason) && e.getMessage().contains(messagePart)));
    }

    private List<String> eventReasons() {
        return admin.v1().events().inNamespace(namespace).list().getItems().stream().map(Event::getReason).toList();
    }
}
