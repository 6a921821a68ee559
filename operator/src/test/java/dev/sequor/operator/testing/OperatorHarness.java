package dev.sequor.operator.testing;

import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.operator.model.OperatorDefaults;
import dev.sequor.operator.reconciler.RecommenderModelReconciler;
import dev.sequor.operator.registry.ModelResolver;
import dev.sequor.operator.rollout.MetricSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The operator running for real (Java Operator SDK, informers, retries, server-side apply) against
 * the real control plane ({@link RealCluster}), with the operator's own identity and RBAC, watching
 * one namespace. kube-controller-manager, kube-scheduler and kwok turn its Deployments into
 * ReplicaSets and pods that become Ready, so status is computed from what really happened.
 */
public final class OperatorHarness implements AutoCloseable {

    public static final OperatorDefaults DEFAULTS = OperatorDefaults.standard("registry.example/sequor-runtime:test")
            .withKedaPrometheus("http://prometheus.monitoring.svc:9090");

    private final Operator operator;
    private final KubernetesClient client;

    private OperatorHarness(Operator operator, KubernetesClient client) {
        this.operator = operator;
        this.client = client;
    }

    /** Starts an operator that watches {@code namespace}. */
    public static OperatorHarness start(String namespace, Optional<String> trackingUri, Optional<Path> localRegistry) {
        return start(RealCluster.operatorClient(), namespace, trackingUri, localRegistry);
    }

    public static OperatorHarness start(KubernetesClient client, String namespace, Optional<String> trackingUri,
            Optional<Path> localRegistry) {
        return start(client, namespace, trackingUri, localRegistry, MetricSource.NONE);
    }

    /**
     * @param metrics where rollout analysis reads its numbers (a real Prometheus in the rollout tests);
     *        registries are polled every second
     */
    public static OperatorHarness start(KubernetesClient client, String namespace, Optional<String> trackingUri,
            Optional<Path> localRegistry, MetricSource metrics) {
        ModelResolver resolver = new ModelResolver(trackingUri, localRegistry, Duration.ofSeconds(10));
        Operator operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
        // Optional CRDs (ServiceMonitor, KEDA) installed mid-test are noticed within a second.
        operator.register(new RecommenderModelReconciler(DEFAULTS, resolver, Clock.systemUTC(), Duration.ofSeconds(1),
                metrics, Duration.ofSeconds(1)),
                c -> c.settingNamespaces(namespace));
        operator.start();
        return new OperatorHarness(operator, client);
    }

    public static RecommenderModel get(KubernetesClient client, String namespace, String name) {
        return client.resources(RecommenderModel.class).inNamespace(namespace).withName(name).get();
    }

    @Override
    public void close() {
        operator.stop();
        client.close();
    }
}
