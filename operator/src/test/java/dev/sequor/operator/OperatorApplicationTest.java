package dev.sequor.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.operator.testing.OperatorHarness;
import dev.sequor.operator.testing.TestModels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The packaged Quarkus application: CDI wiring, configuration, health and metrics endpoints. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = OperatorApplicationTest.InstallCrd.class)
class OperatorApplicationTest {

    @Inject
    KubernetesClient client;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void reconcilesAResourceWithTheConfiguredDefaults() {
        RecommenderModel model = TestModels.fromYaml("movies", "default", "model: {uri: 'https://models.example/m/1'}");
        client.resource(model).create();

        await().atMost(Duration.ofSeconds(30)).until(() ->
                client.apps().deployments().inNamespace("default").withName("movies-predictor").get() != null);
        Deployment d = client.apps().deployments().inNamespace("default").withName("movies-predictor").get();
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("ghcr.io/sequor-dev/inference-runtime:0.1.0");
    }

    @Test
    void servesHealthAndPrometheusMetrics() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\": \"UP\"");

        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("operator_sdk_");
    }

    public static class InstallCrd implements Consumer<KubernetesServer> {
        @Override
        public void accept(KubernetesServer server) {
            OperatorHarness.installCrd(server.getClient(), "/META-INF/sequor/crds/recommendermodels.sequor.dev-v1.yml");
        }
    }
}
