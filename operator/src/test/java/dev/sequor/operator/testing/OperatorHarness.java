package dev.sequor.operator.testing;

import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.operator.model.OperatorDefaults;
import dev.sequor.operator.reconciler.RecommenderModelReconciler;
import dev.sequor.operator.registry.ModelResolver;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * The operator running for real (Java Operator SDK, informers, retries) against Fabric8's
 * Kubernetes mock server in CRUD mode. The mock has no controllers, so tests play the
 * Deployment controller's part with {@link #markRolledOut}.
 */
public final class OperatorHarness implements AutoCloseable {

    public static final OperatorDefaults DEFAULTS = OperatorDefaults.standard("registry.example/sequor-runtime:test");
    private static final String CRD = "/META-INF/sequor/crds/recommendermodels.sequor.dev-v1.yml";

    private final Operator operator;

    private OperatorHarness(Operator operator) {
        this.operator = operator;
    }

    public static OperatorHarness start(KubernetesClient client, Optional<String> trackingUri,
            Optional<Path> localRegistry) {
        installCrd(client, CRD);
        return run(client, trackingUri, localRegistry);
    }

    /** Starts the operator on a server that already has the CRD. */
    public static OperatorHarness run(KubernetesClient client, Optional<String> trackingUri,
            Optional<Path> localRegistry) {
        ModelResolver resolver = new ModelResolver(trackingUri, localRegistry, Duration.ofSeconds(10),
                Executors.newCachedThreadPool());
        Operator operator = new Operator(o -> o.withKubernetesClient(client)
                .withCloseClientOnStop(false)
                .withUseSSAToPatchPrimaryResource(false)
                .withSSABasedCreateUpdateMatchForDependentResources(false));
        operator.register(new RecommenderModelReconciler(DEFAULTS, resolver, Clock.systemUTC()));
        operator.start();
        return new OperatorHarness(operator);
    }

    public static void installRecommenderModelCrd(KubernetesClient client) {
        installCrd(client, CRD);
    }

    public static void installCrd(KubernetesClient client, String classpathResource) {
        try (InputStream in = OperatorHarness.class.getResourceAsStream(classpathResource)) {
            CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(in,
                    CustomResourceDefinition.class);
            client.resource(crd).create();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Plays the Deployment controller: every wanted pod updated and ready. */
    public static void markRolledOut(KubernetesClient client, String namespace, String name) {
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        d.setStatus(new DeploymentStatusBuilder()
                .withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(replicas).withUpdatedReplicas(replicas)
                .withReadyReplicas(replicas).withAvailableReplicas(replicas)
                .build());
        client.resource(d).updateStatus();
    }

    public static RecommenderModel get(KubernetesClient client, String namespace, String name) {
        return client.resources(RecommenderModel.class).inNamespace(namespace).withName(name).get();
    }

    @Override
    public void close() {
        operator.stop();
    }
}
