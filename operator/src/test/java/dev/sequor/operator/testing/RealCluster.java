package dev.sequor.operator.testing;

import dev.sequor.testing.KubeControlPlane;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;

/**
 * Fabric8 clients for the real control plane the tests run ({@link KubeControlPlane}): an admin
 * client for the test's own moves, and the operator's client, which has only what the
 * ClusterRole of {@code manifests/base} grants it. The CRDs and that RBAC are installed once.
 */
public final class RealCluster {

    public static final String RECOMMENDER_MODEL_CRD = "/META-INF/sequor/crds/recommendermodels.sequor.dev-v1.yml";
    public static final String SERVICE_MONITOR_CRD = "/servicemonitors-crd.yml";
    public static final String KEDA_CRD = "/scaledobjects-crd.yml";
    private static KubernetesClient admin;
    private static boolean installed;

    private RealCluster() {
    }

    public static KubeControlPlane plane() {
        return KubeControlPlane.shared();
    }

    /** A client with every right, for what the test itself does (the user's kubectl). */
    public static synchronized KubernetesClient admin() {
        if (admin == null) {
            admin = client(plane().adminToken(), "sequor-test");
        }
        installOnce(admin);
        return admin;
    }

    /** A client with the operator's identity and nothing but its RBAC. */
    public static KubernetesClient operatorClient() {
        admin();
        return client(plane().operatorToken(), "sequor-operator-under-test");
    }

    public static Config config(String token, String userAgent) {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(plane().url())
                .withOauthToken(token)
                .withTrustCerts(true)
                .withDisableHostnameVerification(true)
                .withUserAgent(userAgent)
                .withRequestTimeout(30_000)
                // As JOSDK configures the clients it creates itself.
                .withMaxConcurrentRequests(512)
                .withMaxConcurrentRequestsPerHost(512)
                .build();
    }

    private static KubernetesClient client(String token, String userAgent) {
        return new KubernetesClientBuilder().withConfig(config(token, userAgent)).build();
    }

    /** A new namespace with a random suffix, its default service account ready for pods. */
    public static String newNamespace(String prefix) {
        String name = prefix + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
        KubernetesClient client = admin();
        client.resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> client.serviceAccounts().inNamespace(name).withName("default").get() != null);
        return name;
    }

    public static void deleteNamespace(String name) {
        admin().namespaces().withName(name).delete();
    }

    /** Installs a CRD shipped on the classpath and waits until the server serves it. */
    public static void installCrd(KubernetesClient client, String classpathResource) {
        try (InputStream in = RealCluster.class.getResourceAsStream(classpathResource)) {
            CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(in,
                    CustomResourceDefinition.class);
            client.resource(crd).fieldManager("sequor-test").forceConflicts().serverSideApply();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                CustomResourceDefinition served = client.apiextensions().v1().customResourceDefinitions()
                        .withName(crd.getMetadata().getName()).get();
                return served != null && served.getStatus() != null && served.getStatus().getConditions().stream()
                        .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes a CRD installed by {@link #installCrd} and waits until it is gone (other tests assume it absent). */
    public static void uninstallCrd(KubernetesClient client, String name) {
        client.apiextensions().v1().customResourceDefinitions().withName(name).delete();
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> client.apiextensions().v1().customResourceDefinitions().withName(name).get() == null);
    }

    private static synchronized void installOnce(KubernetesClient client) {
        if (installed) {
            return;
        }
        installCrd(client, RECOMMENDER_MODEL_CRD);
        // The operator's RBAC exactly as a user installs it from manifests/base.
        for (HasMetadata object : Kustomize.build("manifests/base")) {
            if (object instanceof ClusterRole || object instanceof ClusterRoleBinding) {
                client.resource(object).fieldManager("sequor-test").forceConflicts().serverSideApply();
            }
        }
        installed = true;
    }
}
