package dev.sequor.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.ResolvedModel;
import dev.sequor.contract.RuntimeContract;
import dev.sequor.operator.testing.TestModels;
import dev.sequor.routing.InvalidSplitException;
import dev.sequor.routing.TrafficSplit;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DesiredStateTest {

    private static final OperatorDefaults DEFAULTS = OperatorDefaults.standard("runtime:1");
    private static final ServedVersion V7 = version("champion", "7", 80);
    private static final ServedVersion V8 = version("candidate", "8", 20);
    private static final String CANARY = """
            model: {registry: {name: movies-sasrec, alias: champion}}
            rollout:
              strategy: Canary
              candidates: [{name: candidate, model: {registry: {name: movies-sasrec, version: '8'}}, weight: 20}]
            """;

    @Test
    void oneVersionIsServedThroughTheRouters() {
        RecommenderModel model = TestModels.stored("movies", "recs", "model: {registry: {name: movies-sasrec, alias: champion}}");
        DesiredState state = DesiredState.of(model, List.of(version("champion", "7", 100)), v -> true, DEFAULTS, ClusterFeatures.NONE);

        assertThat(names(state.deployments())).containsExactly("movies-v7", "movies-router");
        assertThat(names(state.services())).containsExactly("movies-v7", "movies");
        assertThat(names(state.disruptionBudgets())).containsExactly("movies-v7", "movies-router");
        assertThat(state.autoscalers()).isEmpty();
        assertThat(state.serviceMonitor()).isEmpty();
        // The public Service leads to the routers; the version's Service to its predictors.
        assertThat(service(state, "movies").getSpec().getSelector())
                .isEqualTo(deployment(state, "movies-router").getSpec().getSelector().getMatchLabels());
        assertThat(service(state, "movies-v7").getSpec().getSelector())
                .isEqualTo(deployment(state, "movies-v7").getSpec().getSelector().getMatchLabels());
        assertThat(state.split().variants()).singleElement().satisfies(r -> {
            assertThat(r.variant()).isEqualTo("champion");
            assertThat(r.weight()).isEqualTo(100);
            assertThat(r.http()).isEqualTo("http://movies-v7.recs.svc:8080");
            assertThat(r.grpc()).isEqualTo("movies-v7.recs.svc:9000");
        });
        assertThat(state.split().salt()).isEqualTo("movies");
    }

    @Test
    void aCanaryGetsItsShareOnlyOnceItsPodsAreReady() {
        RecommenderModel model = TestModels.stored("movies", "recs", CANARY);
        DesiredState starting = DesiredState.of(model, List.of(V7, V8), v -> v == V7, DEFAULTS, ClusterFeatures.NONE);
        assertThat(weights(starting.split())).isEqualTo(Map.of("champion", 100, "candidate", 0));
        assertThat(names(starting.deployments())).containsExactly("movies-v7", "movies-v8", "movies-router");

        DesiredState serving = DesiredState.of(model, List.of(V7, V8), v -> true, DEFAULTS, ClusterFeatures.NONE);
        assertThat(weights(serving.split())).isEqualTo(Map.of("champion", 80, "candidate", 20));
        assertThat(SplitConfigMap.describe(serving.split())).isEqualTo("champion v7 80%, candidate v8 20%");
        // What the routers read is the routing module's own format.
        String json = serving.splitConfigMap().getData().get(TrafficSplit.FILE_NAME);
        assertThat(TrafficSplit.parse(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(serving.split());
        assertThat(deployment(serving, "movies-v8").getMetadata().getLabels()).containsEntry(Labels.VARIANT, "candidate");
    }

    @Test
    void aShadowMirrorsOnlyToAReadyCandidate() {
        RecommenderModel model = TestModels.stored("movies", "recs", """
                model: {registry: {name: movies-sasrec, alias: champion}}
                rollout:
                  strategy: Shadow
                  salt: exp-4
                  shadowShare: 0.25
                  candidates: [{name: candidate, model: {registry: {name: movies-sasrec, version: '8'}}}]
                """);
        ServedVersion shadow = version("candidate", "8", 0);
        ServedVersion champion = version("champion", "7", 100);
        assertThat(DesiredState.of(model, List.of(champion, shadow), v -> v == champion, DEFAULTS, ClusterFeatures.NONE).split().shadow())
                .isNull();
        TrafficSplit split = DesiredState.of(model, List.of(champion, shadow), v -> true, DEFAULTS, ClusterFeatures.NONE).split();
        assertThat(split.shadow().variant()).isEqualTo("candidate");
        assertThat(split.shadow().share()).isEqualTo(0.25);
        assertThat(split.salt()).isEqualTo("exp-4");
        assertThat(weights(split)).isEqualTo(Map.of("champion", 100, "candidate", 0));
    }

    @Test
    void routersLoadNoModelAndReadTheMountedSplit() {
        RecommenderModel model = TestModels.stored("movies", "recs", CANARY + "serving: {router: {replicas: 3}}");
        Deployment router = deployment(DesiredState.of(model, List.of(V7, V8), v -> true, DEFAULTS, ClusterFeatures.NONE), "movies-router");

        assertThat(router.getSpec().getReplicas()).isEqualTo(3);
        var container = router.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> env = container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertThat(env).containsEntry(RuntimeContract.ROLE, "router")
                .containsEntry(RuntimeContract.ROUTER_SPLIT_FILE, RuntimeContract.SPLIT_MOUNT + "/split.json")
                .doesNotContainKey(RuntimeContract.MODEL_URI);
        assertThat(router.getSpec().getTemplate().getSpec().getVolumes()).filteredOn(v -> v.getConfigMap() != null)
                .singleElement().satisfies(v -> assertThat(v.getConfigMap().getName()).isEqualTo("movies-split"));
        assertThat(container.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo(RuntimeContract.SPLIT_MOUNT);
            assertThat(m.getReadOnly()).isTrue();
        });
    }

    @Test
    void autoscalingBuildsACpuAutoscalerPerVersion() {
        RecommenderModel model = TestModels.stored("movies", "recs", CANARY
                + "serving: {autoscaling: {minReplicas: 2, maxReplicas: 8, targetCPUUtilizationPercentage: 55}}");
        DesiredState state = DesiredState.of(model, List.of(V7, V8), v -> true, DEFAULTS, ClusterFeatures.NONE);

        assertThat(state.autoscalers()).extracting(h -> h.getSpec().getScaleTargetRef().getName())
                .containsExactly("movies-v7", "movies-v8", "movies-router");
        assertThat(state.scaledObjects()).isEmpty();
        // The routers scale too, from their own replicas (default 2) up to the predictors' maximum.
        assertThat(state.autoscalers().get(2).getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(state.autoscalers().get(2).getSpec().getMaxReplicas()).isEqualTo(8);
        assertThat(deployment(state, "movies-router").getSpec().getReplicas()).isNull();
        assertThat(state.autoscalers().get(0).getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(state.autoscalers().get(0).getSpec().getMetrics().get(0).getResource().getTarget()
                .getAverageUtilization()).isEqualTo(55);
    }

    @Test
    void withKedaEveryDeploymentScalesOnItsRequestsInFlight() {
        RecommenderModel model = TestModels.stored("movies", "recs", CANARY
                + "serving: {autoscaling: {minReplicas: 1, maxReplicas: 6, targetInFlightRequests: 24}}");
        OperatorDefaults withPrometheus = DEFAULTS.withKedaPrometheus("http://prometheus.monitoring:9090");
        DesiredState state = DesiredState.of(model, List.of(V7, V8), v -> true, withPrometheus, new ClusterFeatures(false, true));

        assertThat(state.autoscalers()).isEmpty();
        assertThat(names(state.scaledObjects())).containsExactly("movies-v7", "movies-v8", "movies-router");
        Map<?, ?> spec = (Map<?, ?>) state.scaledObjects().get(1).getAdditionalProperties().get("spec");
        assertThat(spec.get("scaleTargetRef")).isEqualTo(Map.of("name", "movies-v8"));
        assertThat(spec.get("minReplicaCount")).isEqualTo(1);
        assertThat(spec.get("maxReplicaCount")).isEqualTo(6);
        assertThat(spec.get("triggers").toString()).contains("type=prometheus")
                .contains("serverAddress=http://prometheus.monitoring:9090").contains("threshold=24")
                .contains("sum(sequor_in_flight_requests{namespace=\"recs\",model=\"movies\",role=\"predictor\",version=\"8\"})");
        assertThat(state.scaledObjects().get(2).getAdditionalProperties().get("spec").toString())
                .contains("role=\"router\"}").doesNotContain("version=");
        // KEDA present but no Prometheus known to the operator: CPU, as without KEDA.
        assertThat(DesiredState.of(model, List.of(V7, V8), v -> true, DEFAULTS, new ClusterFeatures(false, true))
                .autoscalers()).hasSize(3);
    }

    @Test
    void serviceMonitorScrapesEveryServiceOfTheModel() {
        RecommenderModel model = TestModels.stored("movies", "recs", CANARY);
        DesiredState state = DesiredState.of(model, List.of(V7, V8), v -> true, DEFAULTS, new ClusterFeatures(true, false));

        var monitor = state.serviceMonitor().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
        assertThat(spec.toString()).contains("path=/q/metrics").contains("port=http");
        Map<String, String> selector = Map.of(Labels.INSTANCE, "movies", Labels.MANAGED_BY, Labels.OPERATOR);
        assertThat(state.services()).allSatisfy(s -> assertThat(s.getMetadata().getLabels()).containsAllEntriesOf(selector));
    }

    @Test
    void weightsThatLeaveTheChampionNothingBelowZeroAreRefused() {
        RecommenderModel model = TestModels.stored("movies", "recs", CANARY);
        assertThatThrownBy(() -> DesiredState.of(model, List.of(V7, version("candidate", "8", 120)), v -> true, DEFAULTS, ClusterFeatures.NONE))
                .isInstanceOf(InvalidSplitException.class).hasMessageContaining("weight");
    }

    @Test
    void endpointNamesTheStableService() {
        RecommenderModel model = TestModels.stored("movies", "recs", "model: {uri: 'https://models.example/m'}");
        var endpoint = RouterService.endpoint(model, DEFAULTS);
        assertThat(endpoint.http()).isEqualTo("http://movies.recs.svc:8080");
        assertThat(endpoint.grpc()).isEqualTo("movies.recs.svc:9000");
    }

    static ServedVersion version(String variant, String version, int weight) {
        return new ServedVersion(variant, new ModelPackage(new ResolvedModel("movies-sasrec", version, null,
                "mlflow-artifacts:/1/" + version + "/artifacts/model"), "http://mlflow:5000", null), weight);
    }

    private static Map<String, Integer> weights(TrafficSplit split) {
        return split.variants().stream().collect(Collectors.toMap(r -> r.variant(), r -> r.weight()));
    }

    private static List<String> names(List<? extends HasMetadata> objects) {
        return objects.stream().map(o -> o.getMetadata().getName()).toList();
    }

    private static Deployment deployment(DesiredState state, String name) {
        return state.deployments().stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    private static Service service(DesiredState state, String name) {
        return state.services().stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }
}
