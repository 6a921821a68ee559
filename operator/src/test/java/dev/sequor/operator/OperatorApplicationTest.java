package dev.sequor.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.operator.config.LeaderElection;
import dev.sequor.operator.testing.Kustomize;
import dev.sequor.operator.testing.RealCluster;
import dev.sequor.operator.testing.TestModels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The packaged Quarkus application (CDI wiring, configuration, the SDK's start-up CRD check,
 * health and metrics endpoints) against the real API server, with the operator's identity.
 */
@QuarkusTest
@QuarkusTestResource(OperatorApplicationTest.RealApiServer.class)
class OperatorApplicationTest {

    private final KubernetesClient client = RealCluster.admin();

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void reconcilesAResourceWithTheConfiguredDefaults() {
        String ns = RealApiServer.namespace;
        RecommenderModel model = TestModels.fromYaml("movies", ns, "model: {uri: 'https://models.example/m/1'}");
        client.resource(model).create();

        await().atMost(Duration.ofSeconds(30)).until(() ->
                client.apps().deployments().inNamespace(ns).withName(TestModels.predictorForUri("movies", "https://models.example/m/1")).get() != null);
        Deployment d = client.apps().deployments().inNamespace(ns).withName(TestModels.predictorForUri("movies", "https://models.example/m/1")).get();
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("ghcr.io/sequor-dev/inference-runtime:0.1.0");
    }

    @Test
    void takesTheLeaderLeaseInTheClientsNamespace() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Lease lease = client.leases().inNamespace(RealApiServer.namespace).withName(LeaderElection.LEASE_NAME).get();
            assertThat(lease).isNotNull();
            assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
        });
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

    /** Points the application's Kubernetes client at the real API server, as the operator's service account. */
    public static class RealApiServer implements QuarkusTestResourceLifecycleManager {

        static String namespace;

        @Override
        public Map<String, String> start() {
            namespace = RealCluster.newNamespace("quarkus");
            // The leader-election Role and RoleBinding of manifests/base, in the namespace the Lease will use.
            for (HasMetadata object : Kustomize.build("manifests/base")) {
                if (object instanceof Role || object instanceof RoleBinding) {
                    object.getMetadata().setNamespace(namespace);
                    RealCluster.admin().resource(object).create();
                }
            }
            // As a developer runs it from a laptop: a kubeconfig namespace, no pod namespace, leader election on.
            return Map.of(
                    "quarkus.kubernetes-client.api-server-url", RealCluster.plane().url(),
                    "quarkus.kubernetes-client.token", RealCluster.plane().operatorToken(),
                    "quarkus.kubernetes-client.trust-certs", "true",
                    "quarkus.kubernetes-client.namespace", namespace,
                    "quarkus.operator-sdk.controllers.recommendermodel.namespaces", namespace);
        }

        @Override
        public void stop() {
            // The namespace stays: deleting it under a running leader elector makes the SDK exit the JVM.
        }
    }
}
