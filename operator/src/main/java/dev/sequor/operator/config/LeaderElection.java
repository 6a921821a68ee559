package dev.sequor.operator.config;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Lets several operator replicas run with one of them reconciling: a Lease named
 * {@value #LEASE_NAME}. The SDK uses it in the prod profile only.
 *
 * <p>The Lease's namespace, first found of: {@code sequor.leader-election.namespace}, the pod's
 * namespace ({@code KUBERNETES_NAMESPACE}, set by the manifests), the client's namespace (the
 * kubeconfig context's, or the service account's), else {@value #FALLBACK_NAMESPACE}. So the
 * operator also starts from a laptop against a cluster.
 */
@Singleton
public class LeaderElection extends LeaderElectionConfiguration {

    public static final String LEASE_NAME = "sequor-operator-lock";
    static final String FALLBACK_NAMESPACE = "default";

    @Inject
    public LeaderElection(KubernetesClient client, OperatorConfig config) {
        // The SDK's default timings; a replica that loses the Lease exits so Kubernetes restarts it as a follower.
        super(LEASE_NAME, leaseNamespace(config.leaderElection().namespace(),
                Optional.ofNullable(System.getenv("KUBERNETES_NAMESPACE")), Optional.ofNullable(client.getNamespace())),
                Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2), null, null,
                config.leaderElection().exitOnStopLeading());
    }

    static String leaseNamespace(Optional<String> configured, Optional<String> podNamespace,
            Optional<String> clientNamespace) {
        return Stream.of(configured, podNamespace, clientNamespace)
                .flatMap(Optional::stream)
                .filter(ns -> !ns.isBlank())
                .findFirst()
                .orElse(FALLBACK_NAMESPACE);
    }
}
