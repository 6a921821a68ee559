package dev.sequor.operator.reconciler;

import static dev.sequor.operator.testing.OperatorHarness.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sequor.api.v1alpha1.Condition;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.operator.model.PredictorServiceMonitor;
import dev.sequor.operator.status.ConditionType;
import dev.sequor.operator.testing.OperatorHarness;
import dev.sequor.operator.testing.TestModels;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reconcile loop end to end against the Kubernetes mock server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class ReconcileLoopTest {

    private static final String NS = "recs";
    private static final Duration WAIT = Duration.ofSeconds(30);

    KubernetesClient client;
    @TempDir
    Path registry;
    private OperatorHarness operator;

    @BeforeEach
    void startOperator() {
        operator = OperatorHarness.start(client, Optional.empty(), Optional.of(registry));
    }

    @AfterEach
    void stopOperator() {
        operator.close();
    }

    @Test
    void createBuildsServingObjectsAndReportsReadyOnceThePodsAre() {
        apply("movies", """
                model: {uri: 'https://models.example/movies/3'}
                serving: {replicas: 2, resources: {gpu: 1, cpu: "2", memory: 4Gi}}
                """);

        Deployment d = awaitDeployment("movies-predictor");
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits())
                .containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(service("movies")).isNotNull();
        assertThat(client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("movies-predictor").get())
                .isNotNull();
        assertThat(hpa("movies-predictor")).isNull();

        await().atMost(WAIT).untilAsserted(() -> {
            RecommenderModel m = get(client, NS, "movies");
            assertThat(condition(m, ConditionType.MODEL_RESOLVED).status()).isEqualTo(Condition.TRUE);
            assertThat(condition(m, ConditionType.READY).reason()).isEqualTo("NoReadyPods");
            assertThat(m.getStatus().observedGeneration()).isEqualTo(m.getMetadata().getGeneration());
            assertThat(m.getStatus().endpoint().http()).isEqualTo("http://movies.recs.svc:8080");
        });

        OperatorHarness.markRolledOut(client, NS, "movies-predictor");
        await().atMost(WAIT).untilAsserted(() -> {
            RecommenderModel m = get(client, NS, "movies");
            assertThat(condition(m, ConditionType.READY).status()).isEqualTo(Condition.TRUE);
            assertThat(condition(m, ConditionType.PROGRESSING).reason()).isEqualTo("RolloutComplete");
            assertThat(m.getStatus().readyReplicas()).isEqualTo(2);
            assertThat(m.getStatus().conditions()).extracting(Condition::type)
                    .containsExactly("Ready", "ModelResolved", "Progressing", "Degraded");
        });
        assertThat(events()).extracting(Event::getReason).contains("Resolved", "Serving");
    }

    @Test
    void updatesChangeObjectsInPlaceAndUnrelatedChangesLeaveTheDeploymentAlone() {
        apply("movies", """
                model: {uri: 'https://models.example/movies/3'}
                serving: {autoscaling: {minReplicas: 2, maxReplicas: 4}}
                """);
        awaitDeployment("movies-predictor");
        await().atMost(WAIT).until(() -> hpa("movies-predictor") != null);
        String deploymentVersion = deployment("movies-predictor").getMetadata().getResourceVersion();

        apply("movies", """
                model: {uri: 'https://models.example/movies/3'}
                serving: {autoscaling: {minReplicas: 2, maxReplicas: 6, targetCPUUtilizationPercentage: 50}}
                """);
        await().atMost(WAIT).until(() -> hpa("movies-predictor").getSpec().getMaxReplicas() == 6);
        assertThat(deployment("movies-predictor").getMetadata().getResourceVersion()).isEqualTo(deploymentVersion);

        apply("movies", """
                model: {uri: 'https://models.example/movies/4'}
                serving: {replicas: 3}
                """);
        await().atMost(WAIT).untilAsserted(() -> {
            Deployment d = deployment("movies-predictor");
            assertThat(d.getSpec().getReplicas()).isEqualTo(3);
            assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                    .anyMatch(e -> e.getName().equals("SEQUOR_MODEL_URI")
                            && e.getValue().equals("https://models.example/movies/4"));
            assertThat(hpa("movies-predictor")).isNull();
        });
    }

    @Test
    void deletedObjectsAreRecreated() {
        apply("movies", "model: {uri: 'https://models.example/movies/3'}");
        awaitDeployment("movies-predictor");
        await().atMost(WAIT).until(() -> service("movies") != null);

        client.services().inNamespace(NS).withName("movies").delete();
        await().atMost(WAIT).until(() -> service("movies") != null);
    }

    @Test
    void ownedObjectsPointAtTheResourceSoDeletingItCollectsThem() {
        apply("movies", "model: {uri: 'https://models.example/movies/3'}");
        Deployment d = awaitDeployment("movies-predictor");
        String uid = get(client, NS, "movies").getMetadata().getUid();
        await().atMost(WAIT).until(() -> service("movies") != null);
        for (var owned : List.of(d, service("movies"),
                client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("movies-predictor").get())) {
            assertThat(owned.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
                assertThat(ref.getUid()).isEqualTo(uid);
                assertThat(ref.getController()).isTrue();
            });
        }

        client.resources(RecommenderModel.class).inNamespace(NS).withName("movies").delete();
        await().atMost(WAIT).until(() -> get(client, NS, "movies") == null);
        // What Kubernetes' garbage collector does to owned objects; the operator must not bring them back.
        client.apps().deployments().inNamespace(NS).withName("movies-predictor").delete();
        client.services().inNamespace(NS).withName("movies").delete();
        await().during(Duration.ofSeconds(3)).atMost(WAIT)
                .until(() -> deployment("movies-predictor") == null && service("movies") == null);
    }

    @Test
    void foreignObjectWithTheSameNameIsLeftAloneAndReported() {
        client.resource(new ServiceBuilder().withNewMetadata().withName("movies").withNamespace(NS)
                .addToLabels("owner", "someone-else").endMetadata()
                .withNewSpec().addNewPort().withPort(80).endPort().endSpec().build()).create();

        apply("movies", "model: {uri: 'https://models.example/movies/3'}");
        await().atMost(WAIT).untilAsserted(() -> {
            Condition degraded = condition(get(client, NS, "movies"), ConditionType.DEGRADED);
            assertThat(degraded.status()).isEqualTo(Condition.TRUE);
            assertThat(degraded.reason()).isEqualTo("ObjectConflict");
            assertThat(degraded.message()).contains("Service movies already exists and is not owned");
        });
        assertThat(service("movies").getMetadata().getLabels()).containsEntry("owner", "someone-else");
        assertThat(events()).anyMatch(e -> e.getReason().equals("ObjectConflict") && e.getType().equals("Warning"));
    }

    @Test
    void registryFailureLeavesServingObjectsUntouchedAndSaysWhy() throws Exception {
        Path model = registry.resolve("movies-sasrec");
        Files.createDirectories(model.resolve("versions/1"));
        Files.createDirectories(model.resolve("aliases"));
        Files.writeString(model.resolve("aliases/champion"), "1\n");

        apply("movies", "model: {registry: {name: movies-sasrec, alias: champion}}");
        Deployment served = awaitDeployment("movies-predictor");
        OperatorHarness.markRolledOut(client, NS, "movies-predictor");
        await().atMost(WAIT).until(() -> condition(get(client, NS, "movies"), ConditionType.READY).isTrue());
        String version = deployment("movies-predictor").getMetadata().getResourceVersion();

        Files.writeString(model.resolve("aliases/champion"), "2\n");
        apply("movies", "model: {registry: {name: movies-sasrec, alias: champion}}\nserving: {replicas: 2}");

        await().atMost(WAIT).untilAsserted(() -> {
            RecommenderModel m = get(client, NS, "movies");
            Condition resolved = condition(m, ConditionType.MODEL_RESOLVED);
            assertThat(resolved.status()).isEqualTo(Condition.FALSE);
            assertThat(resolved.reason()).isEqualTo("ModelVersionNotFound");
            assertThat(resolved.message()).contains("has no version 2");
            assertThat(condition(m, ConditionType.READY).status()).isEqualTo(Condition.TRUE);
            assertThat(condition(m, ConditionType.DEGRADED).message()).contains("Still serving movies-sasrec version 1");
            assertThat(m.getStatus().model()).isNotNull();
            assertThat(m.getStatus().model().version()).isEqualTo("1");
        });
        assertThat(deployment("movies-predictor").getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(deployment("movies-predictor").getSpec()).isEqualTo(served.getSpec());
        assertThat(events()).anyMatch(e -> e.getReason().equals("ModelVersionNotFound")
                && e.getType().equals("Warning") && e.getInvolvedObject().getName().equals("movies"));

        Files.createDirectories(model.resolve("versions/2"));
        await().atMost(WAIT).untilAsserted(() -> {
            RecommenderModel m = get(client, NS, "movies");
            assertThat(condition(m, ConditionType.MODEL_RESOLVED).isTrue()).isTrue();
            assertThat(m.getStatus().model()).isNotNull();
            assertThat(m.getStatus().model().version()).isEqualTo("2");
            assertThat(deployment("movies-predictor").getSpec().getReplicas()).isEqualTo(2);
        });
    }

    @Test
    void unknownRegisteredModelCreatesNothing() {
        apply("movies", "model: {registry: {name: nobody, version: '1'}}");
        await().atMost(WAIT).untilAsserted(() -> {
            RecommenderModel m = get(client, NS, "movies");
            assertThat(condition(m, ConditionType.MODEL_RESOLVED).reason()).isEqualTo("RegisteredModelNotFound");
            assertThat(condition(m, ConditionType.READY).reason()).isEqualTo("ModelNotResolved");
        });
        assertThat(deployment("movies-predictor")).isNull();
        assertThat(service("movies")).isNull();
    }

    @Test
    void serviceMonitorIsCreatedWhenPrometheusOperatorIsInstalled() {
        OperatorHarness.installCrd(client, "/servicemonitors-crd.yml");
        apply("movies", "model: {uri: 'https://models.example/movies/3'}");
        await().atMost(WAIT).untilAsserted(() -> {
            GenericKubernetesResource monitor = client.genericKubernetesResources(PredictorServiceMonitor.API_VERSION,
                    PredictorServiceMonitor.KIND).inNamespace(NS).withName("movies-predictor").get();
            assertThat(monitor).isNotNull();
        });
    }

    private void apply(String name, String spec) {
        RecommenderModel model = TestModels.fromYaml(name, NS, spec);
        if (get(client, NS, name) == null) {
            client.resource(model).create();
        } else {
            TestModels.replaceSpec(client, NS, name, spec);
        }
    }

    private Deployment awaitDeployment(String name) {
        await().atMost(WAIT).until(() -> deployment(name) != null);
        return deployment(name);
    }

    private Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(NS).withName(name).get();
    }

    private Service service(String name) {
        return client.services().inNamespace(NS).withName(name).get();
    }

    private HorizontalPodAutoscaler hpa(String name) {
        return client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS).withName(name).get();
    }

    private List<Event> events() {
        return client.v1().events().inNamespace(NS).list().getItems();
    }

    private static Condition condition(RecommenderModel m, String type) {
        assertThat(m.getStatus()).as("status of %s", m.getMetadata().getName()).isNotNull();
        return m.getStatus().condition(type).orElseThrow(() -> new AssertionError("no " + type + " condition"));
    }

    @SuppressWarnings("unused")
    private PodDisruptionBudget pdb(String name) {
        return client.policy().v1().podDisruptionBudget().inNamespace(NS).withName(name).get();
    }
}
