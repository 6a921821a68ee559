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
import org.junit.jupiter.api.TestInstance;

/**
 * The processes and helpers of the rollout scenarios: the operator (its own identity and RBAC)
 * against the real API server, a local registry with versions 1..5 of one model, the packaged
 * runtime as a router and one predictor per version, a real Prometheus scraping the router, the
 * split's projection into the router's file, and simulated users. Every failed client request
 * fails the scenario it happened in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RolloutFixture {

    protected static final String MODEL = "synthetic";
    protected static final double CLICK = 0.3;
    /** The quality of version 4: users click its first item far less often. */
    protected static final double WORSE_CLICK = 0.05;
    /** The quality of version 1 in the A/B test: clicked far more often. */
    protected static final double BETTER_CLICK = 0.55;
    protected static final Duration START = Duration.ofSeconds(120);
    protected static final Duration DECISION = Duration.ofMinutes(3);
    /** The resource's spec when the fixture creates it. */
    protected abstract String initialSpec();

    protected final HttpClient http = HttpClient.newHttpClient();
    protected final Map<String, RuntimeProcess> predictors = new HashMap<>();
    protected KubernetesClient admin;
    protected String namespace;
    protected LocalRegistry registry;
    protected RuntimeProcess router;
    protected PrometheusServer prometheus;
    protected SplitProjection projection;
    protected OperatorHarness operator;
    protected TrafficSimulator traffic;
    protected FaultInjectingProxy faulty;

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
        admin.resource(TestModels.fromYaml(MODEL, namespace, initialSpec())).create();
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


    /** What a training pipeline does when it registers a version for rollout. */
    protected void setCandidateAlias(String version) {
        try {
            registry.setAlias(MODEL, "candidate", version);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    protected RuntimeProcess startPredictor(String version) {
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
    protected void stopPredictor(String version) {
        await().atMost(DECISION).until(() -> projection.current().variants().stream()
                .noneMatch(r -> r.version().equals(version)));
        // The router applies a new split within its reload interval; requests already sent finish first.
        await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
        predictors.remove(version).close();
    }

    protected void annotate(String action) {
        TestModels.annotate(admin, namespace, MODEL, RolloutController.ACTION_ANNOTATION, action);
        await().atMost(DECISION).until(() -> {
            Map<String, String> a = model().getMetadata().getAnnotations();
            return a == null || !a.containsKey(RolloutController.ACTION_ANNOTATION);
        });
    }

    protected RecommenderModel model() {
        return OperatorHarness.get(admin, namespace, MODEL);
    }

    protected CandidateStatus candidate() {
        RecommenderModel m = model();
        return m.getStatus() == null ? null : m.getStatus().candidate();
    }

    protected List<RolloutRecord> history() {
        return model().getStatus().history();
    }

    protected CandidateStatus awaitPhase(String version, String phase) {
        return await().atMost(DECISION).pollInterval(Duration.ofMillis(200)).until(this::shown,
                c -> c != null && c.model().version().equals(version) && c.phase().equals(phase));
    }

    private String lastShown;

    /** The candidate's status, printed when it changes: the rollout's progress with its live numbers. */
    protected CandidateStatus shown() {
        CandidateStatus c = candidate();
        String line = c == null ? "no candidate" : RolloutProgress.describe(c);
        if (!line.equals(lastShown)) {
            System.out.println("[rollout] " + line);
            lastShown = line;
        }
        return c;
    }

    protected String awaitNextAnalysis(String after) {
        return await().atMost(DECISION).until(() -> candidate().lastAnalysisAt(), a -> a != null && !a.equals(after));
    }

    protected void awaitSplit(String championVersion, int weight) {
        await().atMost(DECISION).until(() -> {
            Route champion = projection.current().champion();
            return champion.version().equals(championVersion) && champion.weight() == weight;
        });
    }

    /** Events are recorded just after the status they report: waited for, not read at once. */
    protected void awaitEvents(String... reasons) {
        await().atMost(Duration.ofSeconds(30)).until(() -> eventReasons().containsAll(List.of(reasons)));
    }

    protected void awaitEvent(String reason, String messagePart) {
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.v1().events().inNamespace(namespace).list().getItems()
                .stream().anyMatch(e -> e.getReason().equals(reason) && e.getMessage().contains(messagePart)));
    }

    protected List<String> eventReasons() {
        return admin.v1().events().inNamespace(namespace).list().getItems().stream().map(Event::getReason).toList();
    }
}
