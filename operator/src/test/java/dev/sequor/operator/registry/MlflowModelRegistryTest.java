package dev.sequor.operator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequor.api.v1alpha1.Reason;
import dev.sequor.api.v1alpha1.RegistryModelRef;
import dev.sequor.api.v1alpha1.ResolvedModel;
import dev.sequor.modelpackage.mlflow.MlflowCredentials;
import dev.sequor.modelpackage.mlflow.MlflowRegistry;
import dev.sequor.testing.MlflowServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The MLflow adapter against a real MLflow tracking server. */
class MlflowModelRegistryTest {

    private static MlflowServer mlflow;
    private static MlflowRegistry rest;

    @BeforeAll
    static void startMlflow() {
        mlflow = MlflowServer.start();
        rest = new MlflowRegistry(mlflow.uri(), MlflowCredentials.NONE, Duration.ofSeconds(20));
        rest.createRegisteredModel("movies-sasrec");
        rest.createVersion("movies-sasrec", "mlflow-artifacts:/0/run1/artifacts/model", null, Map.of()).version();
        String v2 = rest.createVersion("movies-sasrec", "mlflow-artifacts:/0/run2/artifacts/model", null, Map.of()).version();
        rest.setAlias("movies-sasrec", "champion", v2);
    }

    @AfterAll
    static void stopMlflow() {
        if (mlflow != null) {
            mlflow.close();
        }
    }

    @Test
    void theRegisteredModelKeepsATagOfItsOwn() {
        assertThat(registry(mlflow.uri()).modelTag("no-such-model", "sequor.privacy.ledger")).isEmpty();
        assertThat(registry(mlflow.uri()).modelTag("movies-sasrec", "sequor.privacy.ledger")).isEmpty();
        rest.setModelTag("private-sasrec", "sequor.privacy.ledger", "0.0128:1.1:780");
        rest.setModelTag("private-sasrec", "sequor.privacy.ledger", "0.0128:1.1:780;0.0128:1.1:780");
        assertThat(registry(mlflow.uri()).modelTag("private-sasrec", "sequor.privacy.ledger"))
                .contains("0.0128:1.1:780;0.0128:1.1:780");
    }

    @Test
    void resolvesAPinnedVersionToItsSource() {
        ResolvedModel m = registry(mlflow.uri()).resolve(ref("movies-sasrec", "1", null));
        assertThat(m).isEqualTo(new ResolvedModel("movies-sasrec", "1", null, "mlflow-artifacts:/0/run1/artifacts/model"));
    }

    @Test
    void resolvesAnAliasToTheVersionItPointsAt() {
        ResolvedModel m = registry(mlflow.uri()).resolve(ref("movies-sasrec", null, "champion"));
        assertThat(m.version()).isEqualTo("2");
        assertThat(m.alias()).isEqualTo("champion");
        assertThat(m.uri()).isEqualTo("mlflow-artifacts:/0/run2/artifacts/model");
    }

    @Test
    void followsTheAliasWhenItMoves() {
        rest.createRegisteredModel("books-sasrec");
        String v1 = rest.createVersion("books-sasrec", "mlflow-artifacts:/0/b1/artifacts/model", null, Map.of()).version();
        String v2 = rest.createVersion("books-sasrec", "mlflow-artifacts:/0/b2/artifacts/model", null, Map.of()).version();
        rest.setAlias("books-sasrec", "champion", v1);
        assertThat(registry(mlflow.uri()).resolve(ref("books-sasrec", null, "champion")).version()).isEqualTo(v1);
        rest.setAlias("books-sasrec", "champion", v2);
        assertThat(registry(mlflow.uri()).resolve(ref("books-sasrec", null, "champion")).version()).isEqualTo(v2);
    }

    @Test
    void aPromotionMovesTheChampionAliasInMlflow() {
        rest.createRegisteredModel("shows-sasrec");
        String v1 = rest.createVersion("shows-sasrec", "mlflow-artifacts:/0/s1/artifacts/model", null, Map.of()).version();
        String v2 = rest.createVersion("shows-sasrec", "mlflow-artifacts:/0/s2/artifacts/model", null, Map.of()).version();
        rest.setAlias("shows-sasrec", "champion", v1);
        rest.setAlias("shows-sasrec", "candidate", v2);
        registry(mlflow.uri()).setAlias("shows-sasrec", "champion", v2);
        assertThat(rest.resolve("shows-sasrec", null, "champion").version()).isEqualTo(v2);
        assertThat(rest.resolve("shows-sasrec", null, "candidate").version()).isEqualTo(v2);
        assertThatThrownBy(() -> registry(mlflow.uri()).setAlias("shows-sasrec", "champion", "99"))
                .isInstanceOf(ModelResolutionException.class);
        assertThat(rest.resolve("shows-sasrec", null, "champion").version()).as("a refused move changes nothing")
                .isEqualTo(v2);
    }

    @Test
    void missingAliasIsReportedAsSuch() {
        assertThatThrownBy(() -> registry(mlflow.uri()).resolve(ref("movies-sasrec", null, "challenger")))
                .isInstanceOfSatisfying(ModelResolutionException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.ALIAS_NOT_FOUND);
                    assertThat(e.getMessage()).contains("no alias 'challenger'");
                });
    }

    @Test
    void missingVersionIsReportedAsSuch() {
        assertThatThrownBy(() -> registry(mlflow.uri()).resolve(ref("movies-sasrec", "99", null)))
                .isInstanceOfSatisfying(ModelResolutionException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MODEL_VERSION_NOT_FOUND));
    }

    @Test
    void missingRegisteredModelIsToldApartFromAMissingAlias() {
        assertThatThrownBy(() -> registry(mlflow.uri()).resolve(ref("no-such-model", null, "champion")))
                .isInstanceOfSatisfying(ModelResolutionException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.REGISTERED_MODEL_NOT_FOUND);
                    assertThat(e.getMessage()).contains("no registered model 'no-such-model'");
                });
    }

    @Test
    void unreachableServerIsReportedNotThrownRaw() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        assertThatThrownBy(() -> registry("http://127.0.0.1:" + closedPort).resolve(ref("movies-sasrec", "1", null)))
                .isInstanceOfSatisfying(ModelResolutionException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.REGISTRY_UNREACHABLE);
                    assertThat(e.getMessage()).contains("Cannot reach MLflow at http://127.0.0.1:" + closedPort);
                });
    }

    @Test
    void serverThatNeverAnswersTimesOut() throws IOException {
        try (ServerSocket silent = new ServerSocket(0)) {
            MlflowModelRegistry registry = new MlflowModelRegistry("http://127.0.0.1:" + silent.getLocalPort(),
                    MlflowCredentials.NONE, Duration.ofMillis(500));
            assertThatThrownBy(() -> registry.resolve(ref("movies-sasrec", "1", null)))
                    .isInstanceOfSatisfying(ModelResolutionException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.REGISTRY_UNREACHABLE);
                        assertThat(e.getMessage()).contains("did not answer");
                    });
        }
    }

    private static MlflowModelRegistry registry(String uri) {
        return new MlflowModelRegistry(uri, MlflowCredentials.NONE, Duration.ofSeconds(20));
    }

    private static RegistryModelRef ref(String name, String version, String alias) {
        return new RegistryModelRef(name, version, alias, null, null);
    }
}
