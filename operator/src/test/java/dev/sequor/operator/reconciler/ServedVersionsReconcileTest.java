package dev.sequor.operator.reconciler;

import static dev.sequor.operator.testing.OperatorHarness.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sequor.api.v1alpha1.Condition;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.operator.status.ConditionType;
import dev.sequor.routing.TrafficSplit;
import io.fabric8.kubernetes.api.model.Service;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Several versions of one model against the real control plane: a canary behind one Service whose
 * weights move without restarting pods, a candidate that does not resolve, and a new champion that
 * takes over only once its pods are ready.
 */
class ServedVersionsReconcileTest extends OperatorTestNamespace {

    @Test
    void aCanaryServesTwoVersionsBehindOneServiceAndMovesUsersWithoutRestartingPods() throws Exception {
        registryVersions("movies-sasrec", 1, 2);
        String canary = """
                model: {registry: {name: movies-sasrec, alias: champion}}
                rollout:
                  strategy: Canary
                  candidates: [{name: candidate, model: {registry: {name: movies-sasrec, version: '2'}}, weight: %d}]
                """;
        apply("movies", canary.formatted(10));
        await().atMost(WAIT).untilAsserted(() -> {
            RecommenderModel m = get(client, NS, "movies");
            assertThat(m.getStatus()).isNotNull();
            assertThat(m.getStatus().split()).isEqualTo("champion v1 90%, candidate v2 10%");
            assertThat(condition(m, ConditionType.READY).isTrue()).isTrue();
            assertThat(m.getStatus().variants()).extracting(v -> v.name() + "=" + v.deployment() + "@" + v.weight())
                    .containsExactly("champion=movies-v1@90", "candidate=movies-v2@10");
        });
        assertThat(deployment("movies-v1").getMetadata().getLabels()).containsEntry("sequor.dev/variant", "champion");
        assertThat(deployment("movies-v2").getMetadata().getLabels()).containsEntry("sequor.dev/variant", "candidate");
        assertThat(deployment("movies-router")).isNotNull();
        assertThat(service("movies").getSpec().getSelector()).containsEntry("app.kubernetes.io/component", "router");
        assertThat(service("movies-v2").getSpec().getSelector()).containsEntry("sequor.dev/version", "v2");
        TrafficSplit split = TrafficSplit.parse(client.configMaps().inNamespace(NS).withName("movies-split").get().getData()
                .get(TrafficSplit.FILE_NAME).getBytes(StandardCharsets.UTF_8));
        assertThat(split.variant("candidate").orElseThrow().http()).isEqualTo("http://movies-v2." + NS + ".svc:8080");
        Set<String> predictorPods = podUids("predictor");

        apply("movies", canary.formatted(50));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(get(client, NS, "movies").getStatus().split()).isEqualTo("champion v1 50%, candidate v2 50%");
            assertThat(client.pods().inNamespace(NS).withLabel("app.kubernetes.io/component", "router").list().getItems())
                    .isNotEmpty().allSatisfy(p -> assertThat(p.getMetadata().getAnnotations()).containsKey("sequor.dev/split-hash"));
        });
        assertThat(podUids("predictor")).as("a weight change restarts no predictor").isEqualTo(predictorPods);

        // The experiment ends: the candidate's objects go, everyone gets the champion.
        apply("movies", "model: {registry: {name: movies-sasrec, alias: champion}}");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(get(client, NS, "movies").getStatus().split()).isEqualTo("champion v1 100%");
            assertThat(deployment("movies-v2")).isNull();
            assertThat(service("movies-v2")).isNull();
        });
    }

    @Test
    void aCandidateThatDoesNotResolveChangesNothing() throws Exception {
        registryVersions("movies-sasrec", 1);
        apply("movies", "model: {registry: {name: movies-sasrec, alias: champion}}");
        await().atMost(WAIT).until(() -> get(client, NS, "movies").getStatus() != null
                && "champion v1 100%".equals(get(client, NS, "movies").getStatus().split()));

        apply("movies", """
                model: {registry: {name: movies-sasrec, alias: champion}}
                rollout:
                  strategy: Canary
                  candidates: [{name: candidate, model: {registry: {name: movies-sasrec, version: '9'}}, weight: 20}]
                """);
        await().atMost(WAIT).untilAsserted(() -> {
            RecommenderModel m = get(client, NS, "movies");
            Condition resolved = condition(m, ConditionType.MODEL_RESOLVED);
            assertThat(resolved.reason()).isEqualTo("ModelVersionNotFound");
            assertThat(resolved.message()).startsWith("spec.rollout candidate candidate:");
            assertThat(condition(m, ConditionType.READY).isTrue()).isTrue();
            assertThat(condition(m, ConditionType.DEGRADED).message()).contains("(champion v1 100%)");
            assertThat(m.getStatus().split()).isEqualTo("champion v1 100%");
        });
        assertThat(deployment("movies-v9")).isNull();
    }

    @Test
    void aNewChampionTakesOverOnlyOnceItsPodsAreReady() throws Exception {
        Path model = registryVersions("movies-sasrec", 1, 2);
        apply("movies", "model: {registry: {name: movies-sasrec, alias: champion}}");
        await().atMost(WAIT).until(() -> get(client, NS, "movies").getStatus() != null
                && condition(get(client, NS, "movies"), ConditionType.READY).isTrue());

        // The alias moves to a version whose pods cannot start (more GPUs than any node has).
        Files.writeString(model.resolve("aliases/champion"), "2\n");
        apply("movies", "model: {registry: {name: movies-sasrec, alias: champion}}\nserving: {resources: {gpu: 16}}");
        await().atMost(WAIT).untilAsserted(() -> {
            RecommenderModel m = get(client, NS, "movies");
            assertThat(deployment("movies-v2")).isNotNull();
            assertThat(condition(m, ConditionType.PROGRESSING).message()).contains("Switching the champion to version 2");
            assertThat(m.getStatus().split()).isEqualTo("champion v1 100%");
            assertThat(m.getStatus().model().version()).isEqualTo("1");
            assertThat(condition(m, ConditionType.READY).isTrue()).isTrue();
        });
        assertThat(deployment("movies-v1")).as("the serving version is kept until its successor is ready").isNotNull();

        apply("movies", "model: {registry: {name: movies-sasrec, alias: champion}}\nserving: {resources: {gpu: 1}}");
        await().atMost(WAIT).untilAsserted(() -> {
            RecommenderModel m = get(client, NS, "movies");
            assertThat(m.getStatus().split()).isEqualTo("champion v2 100%");
            assertThat(m.getStatus().model().version()).isEqualTo("2");
            assertThat(deployment("movies-v1")).isNull();
        });
    }

    /** A local-registry model with these versions and the champion alias on the first. */
    private Path registryVersions(String name, int... versions) throws Exception {
        Path model = registry.resolve(name);
        for (int v : versions) {
            Files.createDirectories(model.resolve("versions/" + v));
        }
        Files.createDirectories(model.resolve("aliases"));
        Files.writeString(model.resolve("aliases/champion"), versions[0] + "\n");
        return model;
    }

    private Set<String> podUids(String component) {
        return client.pods().inNamespace(NS).withLabel("app.kubernetes.io/component", component).list().getItems().stream()
                .map(p -> p.getMetadata().getUid()).collect(java.util.stream.Collectors.toSet());
    }
}
