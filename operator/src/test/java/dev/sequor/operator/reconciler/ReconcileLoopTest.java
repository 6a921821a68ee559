package dev.sequor.operator.reconciler;

import static dev.sequor.operator.testing.OperatorHarness.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sequor.api.v1alpha1.Condition;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.operator.model.PredictorServiceMonitor;
import dev.sequor.operator.status.ConditionType;
import dev.sequor.operator.testing.RealCluster;
import dev.sequor.operator.testing.TestModels;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reconcile loop end to end against a real API server, controller manager, scheduler and
 * kwok nodes: the operator with its own RBAC, server-side apply, garbage collection by owner
 * references, pods that really become ready (or stay pending). Each test has its own namespace.
 */
class ReconcileLoopTest extends OperatorTestNamespace {

    private static final String MOVIES_3 = TestModels.predictorForUri("movies", "https://models.example/movies/3");
    private static final String MOVIES_4 = TestModels.predictorForUri("movies", "https://models.example/movies/4");

    @Test
    void createBuildsServingObjectsAndReportsReadyOnceThePodsAre() {
        // More GPUs than any node has (the test cluster's node has 8): the pods stay Pending, the model is not Ready.
        apply("movies", """
                model: {uri: 'https://models.example/movies/3'}
                serving: {replicas: 2, resources: {gpu: 16, cpu: "2", memory: 4Gi}}
                """);

        Deployment d = awaitDeployment(MOVIES_3);
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits())
                .containsEntry("nvidia.com/gpu", new Quantity("16"));
        assertThat(d.getMetadata().getManagedFields()).anySatisfy(f -> {
            assertThat(f.getManager()).isEqualTo(RecommenderModelReconciler.FIELD_MANAGER);
            assertThat(f.getOperation()).isEqualTo("Apply");
        });
        await().atMost(WAIT).until(() -> service("movies") != null
                && client.policy().v1().podDisruptionBudget().inNamespace(NS).withName(MOVIES_3).get() != null);
        assertThat(hpa(MOVIES_3)).isNull();

        await().atMost(WAIT).untilAsserted(() -> {
            RecommenderModel m = get(client, NS, "movies");
            assertThat(condition(m, ConditionType.MODEL_RESOLVED).status()).isEqualTo(Condition.TRUE);
            assertThat(condition(m, ConditionType.READY).reason()).isEqualTo("NoReadyPods");
            assertThat(m.getStatus().observedGeneration()).isEqualTo(m.getMetadata().getGeneration());
            assertThat(m.getStatus().endpoint().http()).isEqualTo("http://movies." + NS + ".svc:8080");
        });
        assertThat(client.pods().inNamespace(NS).withLabel("app.kubernetes.io/component", "predictor").list().getItems())
                .hasSize(2).allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Pending"));

        // One GPU each fits: the scheduler places the pods, kwok runs them, the Deployment rolls out.
        apply("movies", """
                model: {uri: 'https://models.example/movies/3'}
                serving: {replicas: 2, resources: {gpu: 1, cpu: "2", memory: 4Gi}}
                """);
        await().atMost(WAIT).untilAsserted(() -> {
            RecommenderModel m = get(client, NS, "movies");
            assertThat(condition(m, ConditionType.READY).status()).isEqualTo(Condition.TRUE);
            assertThat(condition(m, ConditionType.PROGRESSING).reason()).isEqualTo("RolloutComplete");
            assertThat(m.getStatus().readyReplicas()).isEqualTo(2);
            assertThat(m.getStatus().conditions()).extracting(Condition::type)
                    .containsExactly("Ready", "ModelResolved", "Progressing", "Degraded");
        });
        // Two predictors and the two routers in front of them.
        assertThat(client.pods().inNamespace(NS).withLabel("sequor.dev/model", "movies").list().getItems())
                .filteredOn(p -> p.getMetadata().getDeletionTimestamp() == null)
                .hasSize(4).allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(events()).extracting(Event::getReason)
                .contains("Resolved", "Serving"));
    }

    @Test
    void repeatedEventsAreAggregatedIntoOneObjectWithACount() throws Exception {
        Path model = registry.resolve("flaky");
        Files.createDirectories(model.resolve("versions/1"));
        Files.createDirectories(model.resolve("aliases"));
        Files.writeString(model.resolve("aliases/champion"), "1\n");
        apply("flaky", "model: {registry: {name: flaky, alias: champion}}");
        await().atMost(WAIT).until(() -> eventsWithReason("Resolved").size() == 1);

        // Resolved, then not, then resolved again with the same message: one Event, counted twice.
        Files.writeString(model.resolve("aliases/champion"), "2\n");
        apply("flaky", "model: {registry: {name: flaky, alias: champion}}\nserving: {replicas: 2}");
        await().atMost(WAIT).until(() -> !eventsWithReason("ModelVersionNotFound").isEmpty());
        Files.writeString(model.resolve("aliases/champion"), "1\n");
        apply("flaky", "model: {registry: {name: flaky, alias: champion}}\nserving: {replicas: 3}");
        await().atMost(WAIT).untilAsserted(() -> {
            List<Event> resolved = eventsWithReason("Resolved");
            assertThat(resolved).hasSize(1);
            assertThat(resolved.get(0).getCount()).isEqualTo(2);
            assertThat(resolved.get(0).getMessage()).contains("flaky version 1");
        });
    }

    @Test
    void updatesChangeObjectsInPlaceAndUnrelatedChangesLeaveTheDeploymentAlone() {
        apply("movies", """
                model: {uri: 'https://models.example/movies/3'}
                serving: {autoscaling: {minReplicas: 2, maxReplicas: 4}}
                """);
        awaitDeployment(MOVIES_3);
        await().atMost(WAIT).until(() -> hpa(MOVIES_3) != null);
        // The controller manager writes the Deployment's status (resourceVersion moves); its spec generation must not.
        long deploymentGeneration = deployment(MOVIES_3).getMetadata().getGeneration();

        apply("movies", """
                model: {uri: 'https://models.example/movies/3'}
                serving: {autoscaling: {minReplicas: 2, maxReplicas: 6, targetCPUUtilizationPercentage: 50}}
                """);
        await().atMost(WAIT).until(() -> hpa(MOVIES_3).getSpec().getMaxReplicas() == 6);
        assertThat(deployment(MOVIES_3).getMetadata().getGeneration()).isEqualTo(deploymentGeneration);

        apply("movies", """
                model: {uri: 'https://models.example/movies/4'}
                serving: {replicas: 3}
                """);
        // A new package is a new version: its own Deployment; the old one and its autoscaler go.
        await().atMost(WAIT).untilAsserted(() -> {
            Deployment d = deployment(MOVIES_4);
            assertThat(d).isNotNull();
            assertThat(d.getSpec().getReplicas()).isEqualTo(3);
            assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                    .anyMatch(e -> e.getName().equals("SEQUOR_MODEL_URI")
                            && e.getValue().equals("https://models.example/movies/4"));
            assertThat(deployment(MOVIES_3)).isNull();
            assertThat(service(MOVIES_3)).isNull();
            assertThat(hpa(MOVIES_3)).isNull();
        });
    }

    @Test
    void deletedObjectsAreRecreated() {
        apply("movies", "model: {uri: 'https://models.example/movies/3'}");
        awaitDeployment(MOVIES_3);
        await().atMost(WAIT).until(() -> service("movies") != null);

        client.services().inNamespace(NS).withName("movies").delete();
        await().atMost(WAIT).until(() -> service("movies") != null);
    }

    @Test
    void ownedObjectsPointAtTheResourceSoDeletingItCollectsThem() {
        apply("movies", "model: {uri: 'https://models.example/movies/3'}");
        Deployment d = awaitDeployment(MOVIES_3);
        String uid = get(client, NS, "movies").getMetadata().getUid();
        await().atMost(WAIT).until(() -> service("movies") != null && deployment("movies-router") != null
                && client.configMaps().inNamespace(NS).withName("movies-split").get() != null);
        for (var owned : List.of(d, service("movies"), service(MOVIES_3), deployment("movies-router"),
                client.configMaps().inNamespace(NS).withName("movies-split").get(),
                client.policy().v1().podDisruptionBudget().inNamespace(NS).withName(MOVIES_3).get())) {
            assertThat(owned.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
                assertThat(ref.getUid()).isEqualTo(uid);
                assertThat(ref.getController()).isTrue();
            });
        }

        // Kubernetes' garbage collector deletes what the resource owned; the operator must not bring it back.
        client.resources(RecommenderModel.class).inNamespace(NS).withName("movies").delete();
        await().atMost(WAIT).until(() -> get(client, NS, "movies") == null);
        await().atMost(WAIT).until(() -> deployment(MOVIES_3) == null && service("movies") == null
                && deployment("movies-router") == null
                && client.policy().v1().podDisruptionBudget().inNamespace(NS).withName(MOVIES_3).get() == null);
        await().during(Duration.ofSeconds(3)).atMost(WAIT)
                .until(() -> deployment(MOVIES_3) == null && service("movies") == null);
    }

    @Test
    void fieldsOthersSetAreLeftToThemAndTheOperatorsOwnAreRestored() {
        apply("movies", "model: {uri: 'https://models.example/movies/3'}");
        awaitDeployment(MOVIES_3);
        await().atMost(WAIT).until(() -> service("movies") != null);

        // A person (another field manager) adds an annotation and changes a field the operator owns.
        client.services().inNamespace(NS).withName("movies").edit(s -> {
            s.getMetadata().setAnnotations(java.util.Map.of("team", "search"));
            s.getSpec().getSelector().put("app.kubernetes.io/instance", "someone-else");
            return s;
        });
        await().atMost(WAIT).untilAsserted(() -> {
            Service s = service("movies");
            assertThat(s.getSpec().getSelector()).containsEntry("app.kubernetes.io/instance", "movies");
            assertThat(s.getMetadata().getAnnotations()).containsEntry("team", "search");
        });
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
        await().atMost(WAIT).untilAsserted(() -> assertThat(events())
                .anyMatch(e -> e.getReason().equals("ObjectConflict") && e.getType().equals("Warning")));
    }

    @Test
    void registryFailureLeavesServingObjectsUntouchedAndSaysWhy() throws Exception {
        Path model = registry.resolve("movies-sasrec");
        Files.createDirectories(model.resolve("versions/1"));
        Files.createDirectories(model.resolve("aliases"));
        Files.writeString(model.resolve("aliases/champion"), "1\n");

        apply("movies", "model: {registry: {name: movies-sasrec, alias: champion}}");
        Deployment served = awaitDeployment("movies-v1");
        await().atMost(WAIT).until(() -> get(client, NS, "movies").getStatus() != null
                && condition(get(client, NS, "movies"), ConditionType.READY).isTrue());
        long generation = deployment("movies-v1").getMetadata().getGeneration();

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
        assertThat(deployment("movies-v1").getMetadata().getGeneration()).isEqualTo(generation);
        assertThat(deployment("movies-v1").getSpec()).isEqualTo(served.getSpec());
        await().atMost(WAIT).untilAsserted(() -> assertThat(events()).anyMatch(e -> e.getReason().equals("ModelVersionNotFound")
                && e.getType().equals("Warning") && e.getInvolvedObject().getName().equals("movies")));

        Files.createDirectories(model.resolve("versions/2"));
        await().atMost(WAIT).untilAsserted(() -> {
            RecommenderModel m = get(client, NS, "movies");
            assertThat(condition(m, ConditionType.MODEL_RESOLVED).isTrue()).isTrue();
            assertThat(m.getStatus().model()).isNotNull();
            assertThat(m.getStatus().model().version()).isEqualTo("2");
            assertThat(deployment("movies-v2").getSpec().getReplicas()).isEqualTo(2);
            assertThat(m.getStatus().split()).isEqualTo("champion v2 100%");
        });
        await().atMost(WAIT).until(() -> deployment("movies-v1") == null);
    }

    @Test
    void unknownRegisteredModelCreatesNothing() {
        apply("movies", "model: {registry: {name: nobody, version: '1'}}");
        await().atMost(WAIT).untilAsserted(() -> {
            RecommenderModel m = get(client, NS, "movies");
            assertThat(condition(m, ConditionType.MODEL_RESOLVED).reason()).isEqualTo("RegisteredModelNotFound");
            assertThat(condition(m, ConditionType.READY).reason()).isEqualTo("ModelNotResolved");
        });
        assertThat(client.apps().deployments().inNamespace(NS).list().getItems()).isEmpty();
        assertThat(service("movies")).isNull();
    }

    @Test
    void serviceMonitorIsCreatedWhenPrometheusOperatorIsInstalled() {
        RealCluster.installCrd(client, RealCluster.SERVICE_MONITOR_CRD);
        apply("movies", "model: {uri: 'https://models.example/movies/3'}");
        await().atMost(WAIT).untilAsserted(() -> {
            GenericKubernetesResource monitor = client.genericKubernetesResources(PredictorServiceMonitor.API_VERSION,
                    PredictorServiceMonitor.KIND).inNamespace(NS).withName("movies").get();
            assertThat(monitor).isNotNull();
        });
    }

}
