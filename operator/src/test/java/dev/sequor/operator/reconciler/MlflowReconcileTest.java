package dev.sequor.operator.reconciler;

import static dev.sequor.operator.testing.OperatorHarness.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sequor.api.v1alpha1.Condition;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.contract.RuntimeContract;
import dev.sequor.modelpackage.mlflow.MlflowCredentials;
import dev.sequor.modelpackage.mlflow.MlflowRegistry;
import dev.sequor.operator.status.ConditionType;
import dev.sequor.operator.testing.OperatorHarness;
import dev.sequor.operator.testing.RealCluster;
import dev.sequor.operator.testing.TestModels;
import dev.sequor.testing.MlflowServer;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator resolving spec.model.registry through a real MLflow tracking server, on a real API server. */
class MlflowReconcileTest {

    private static final Duration WAIT = Duration.ofSeconds(40);
    private static MlflowServer mlflow;
    private static MlflowRegistry rest;

    private final KubernetesClient client = RealCluster.admin();
    @SuppressWarnings("checkstyle:MemberName")
    private String NS;
    private OperatorHarness operator;

    @BeforeAll
    static void startMlflow() {
        mlflow = MlflowServer.start();
        rest = new MlflowRegistry(mlflow.uri(), MlflowCredentials.NONE, Duration.ofSeconds(20));
    }

    @AfterAll
    static void stopMlflow() {
        if (mlflow != null) {
            mlflow.close();
        }
    }

    @BeforeEach
    void startOperator() {
        NS = RealCluster.newNamespace("mlflow");
        operator = OperatorHarness.start(NS, Optional.of(mlflow.uri()), Optional.empty());
    }

    @AfterEach
    void stopOperator() {
        operator.close();
        RealCluster.deleteNamespace(NS);
    }

    @Test
    void aliasResolvesToAPinnedVersionAndAMovedAliasRollsThePods() {
        rest.createRegisteredModel("movies-sasrec");
        String v1 = rest.createVersion("movies-sasrec", "mlflow-artifacts:/0/r1/artifacts/model", null, Map.of()).version();
        String v2 = rest.createVersion("movies-sasrec", "mlflow-artifacts:/0/r2/artifacts/model", null, Map.of()).version();
        rest.setAlias("movies-sasrec", "champion", v1);

        create("movies", "model: {registry: {name: movies-sasrec, alias: champion}}");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(env(deployment("movies", v1), RuntimeContract.MODEL_VERSION)).isEqualTo(v1);
            assertThat(env(deployment("movies", v1), RuntimeContract.MODEL_URI)).isEqualTo("mlflow-artifacts:/0/r1/artifacts/model");
            assertThat(env(deployment("movies", v1), RuntimeContract.MLFLOW_TRACKING_URI)).isEqualTo(mlflow.uri());
            RecommenderModel m = get(client, NS, "movies");
            assertThat(m.getStatus()).isNotNull();
            assertThat(m.getStatus().model()).isNotNull();
            assertThat(m.getStatus().model().version()).isEqualTo(v1);
            assertThat(m.getStatus().model().alias()).isEqualTo("champion");
        });

        // Promotion moves the alias in the registry; spec is untouched (GitOps-safe).
        rest.setAlias("movies-sasrec", "champion", v2);
        touch("movies");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(env(deployment("movies", v2), RuntimeContract.MODEL_VERSION)).isEqualTo(v2);
            assertThat(get(client, NS, "movies").getStatus()).isNotNull();
            assertThat(get(client, NS, "movies").getStatus().model()).isNotNull();
            assertThat(get(client, NS, "movies").getStatus().model().version()).isEqualTo(v2);
        });
    }

    @Test
    void aModelsUriIsResolvedOnceAndThePodsGetThePinnedVersion() {
        rest.createRegisteredModel("shows-sasrec");
        String v1 = rest.createVersion("shows-sasrec", "mlflow-artifacts:/0/s1/artifacts/model", null, Map.of()).version();
        rest.setAlias("shows-sasrec", "champion", v1);

        create("shows", "model: {uri: 'models:/shows-sasrec@champion'}");
        await().atMost(WAIT).untilAsserted(() -> {
            Deployment d = client.apps().deployments().inNamespace(NS).withName("shows-v" + v1).get();
            RecommenderModel m = get(client, NS, "shows");
            assertThat(m.getStatus()).isNotNull();
            assertThat(m.getStatus().model()).isNotNull();
            // Not the alias: the version it pointed at, and that version's artifacts.
            assertThat(env(d, RuntimeContract.MODEL_URI)).isEqualTo("mlflow-artifacts:/0/s1/artifacts/model");
            assertThat(env(d, RuntimeContract.MODEL_VERSION)).isEqualTo(v1);
            assertThat(m.getStatus().model().version()).isEqualTo(v1);
        });

        create("broken", "model: {uri: 'models:/shows-sasrec'}");
        await().atMost(WAIT).untilAsserted(() -> {
            RecommenderModel m = get(client, NS, "broken");
            assertThat(m.getStatus()).isNotNull();
            assertThat(m.getStatus().condition(ConditionType.MODEL_RESOLVED).orElseThrow(AssertionError::new).reason())
                    .isEqualTo("InvalidModelUri");
        });
    }

    @Test
    void missingAliasKeepsTheServingVersionAndRaisesAWarning() {
        rest.createRegisteredModel("books-sasrec");
        String v1 = rest.createVersion("books-sasrec", "mlflow-artifacts:/0/b1/artifacts/model", null, Map.of()).version();
        rest.setAlias("books-sasrec", "champion", v1);
        create("books", "model: {registry: {name: books-sasrec, alias: champion}}");
        await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace(NS).withName("books-v" + v1)
                .get() != null);
        Deployment before = client.apps().deployments().inNamespace(NS).withName("books-v" + v1).get();

        rest.deleteAlias("books-sasrec", "champion");
        touch("books");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(get(client, NS, "books").getStatus()).isNotNull();
            Condition resolved = get(client, NS, "books").getStatus().condition(ConditionType.MODEL_RESOLVED)
                    .orElseThrow(AssertionError::new);
            assertThat(resolved.reason()).isEqualTo("AliasNotFound");
            assertThat(resolved.message()).contains("has no alias 'champion'");
        });
        Deployment after = client.apps().deployments().inNamespace(NS).withName("books-v" + v1).get();
        assertThat(after.getSpec()).isEqualTo(before.getSpec());
        await().atMost(WAIT).untilAsserted(() -> assertThat(client.v1().events().inNamespace(NS).list().getItems())
                .anyMatch(e -> e.getReason().equals("AliasNotFound") && e.getType().equals("Warning")));
    }

    @Test
    void missingCredentialsSecretIsReportedBeforeAnythingIsCreated() {
        create("games", "model: {registry: {name: games-sasrec, version: '1', credentialsSecret: mlflow-creds}}");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(get(client, NS, "games").getStatus()).isNotNull();
            assertThat(get(client, NS, "games").getStatus().condition(ConditionType.MODEL_RESOLVED)
                    .orElseThrow(AssertionError::new).reason()).isEqualTo("CredentialsSecretNotFound");
        });

        rest.createRegisteredModel("games-sasrec");
        rest.createVersion("games-sasrec", "mlflow-artifacts:/0/g1/artifacts/model", null, Map.of()).version();
        client.resource(new SecretBuilder().withNewMetadata().withName("mlflow-creds").withNamespace(NS).endMetadata()
                .addToStringData(RuntimeContract.MLFLOW_TRACKING_TOKEN, "not-checked-by-this-server").build()).create();
        await().atMost(WAIT).untilAsserted(() -> {
            Deployment d = client.apps().deployments().inNamespace(NS).withName("games-v1").get();
            assertThat(d).isNotNull();
            EnvVar token = d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                    .filter(e -> e.getName().equals(RuntimeContract.MLFLOW_TRACKING_TOKEN)).findFirst().orElseThrow();
            assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("mlflow-creds");
        });
    }

    private void create(String name, String spec) {
        client.resource(TestModels.fromYaml(name, NS, spec)).create();
    }

    /** A spec edit: triggers a reconcile now instead of at the next periodic resync. */
    private void touch(String name) {
        RecommenderModel m = get(client, NS, name);
        String spec = "model: {registry: {name: %s, alias: %s}}\nserving: {topK: {default: %d}}".formatted(
                m.getSpec().model().registry().name(), m.getSpec().model().registry().alias(),
                m.getSpec().serving() == null ? 11 : m.getSpec().serving().topK().defaultK() + 1);
        TestModels.replaceSpec(client, NS, name, spec);
    }

    private Deployment deployment(String model, String version) {
        return client.apps().deployments().inNamespace(NS).withName(model + "-v" + version).get();
    }

    private static String env(Deployment d, String name) {
        assertThat(d).isNotNull();
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst().orElse(null);
    }
}
