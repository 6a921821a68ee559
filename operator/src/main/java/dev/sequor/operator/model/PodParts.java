package dev.sequor.operator.model;

import static dev.sequor.contract.RuntimeContract.GRPC_PORT;
import static dev.sequor.contract.RuntimeContract.HTTP_PORT;
import static dev.sequor.contract.RuntimeContract.LIVENESS_PATH;
import static dev.sequor.contract.RuntimeContract.READINESS_PATH;
import static dev.sequor.contract.RuntimeContract.STARTUP_PATH;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;

/** What predictor and router pods share: the runtime container's ports, probes and hardening. */
final class PodParts {

    static final String CONTAINER = "runtime";

    private PodParts() {
    }

    /** The runtime container with its ports, probes and security context; callers add the rest. */
    static ContainerBuilder runtimeContainer(String image, String pullPolicy) {
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(image)
                .withImagePullPolicy(pullPolicy)
                .addNewPort().withName("http").withContainerPort(HTTP_PORT).withProtocol("TCP").endPort()
                .addNewPort().withName("grpc").withContainerPort(GRPC_PORT).withProtocol("TCP").endPort()
                .withStartupProbe(probe(STARTUP_PATH, 5, 60))
                .withReadinessProbe(probe(READINESS_PATH, 5, 3))
                .withLivenessProbe(probe(LIVENESS_PATH, 10, 3))
                .withSecurityContext(containerSecurity());
    }

    static PodSecurityContext podSecurity() {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }

    /** Never drop below the serving capacity while new pods roll out. */
    static DeploymentStrategy rollingUpdate() {
        return new DeploymentStrategyBuilder()
                .withType("RollingUpdate")
                .withNewRollingUpdate().withNewMaxUnavailable(0).withNewMaxSurge(1).endRollingUpdate()
                .build();
    }

    static SecurityContext containerSecurity() {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withRunAsNonRoot(true)
                .withPrivileged(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .build();
    }

    private static Probe probe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withNewPort("http").endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(2)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    static VolumeMount mount(String name, String path, boolean readOnly) {
        return new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(readOnly ? true : null)
                .build();
    }

    static EnvVar env(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }
}
