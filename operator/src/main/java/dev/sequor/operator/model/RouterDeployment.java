package dev.sequor.operator.model;

import static dev.sequor.contract.RuntimeContract.MODEL_NAME;
import static dev.sequor.contract.RuntimeContract.ROLE;
import static dev.sequor.contract.RuntimeContract.ROUTER_SPLIT_FILE;
import static dev.sequor.contract.RuntimeContract.SPLIT_MOUNT;

import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.ServingSpec;
import dev.sequor.contract.Role;
import dev.sequor.routing.TrafficSplit;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Map;

/**
 * The router Deployment ({@code NAME-router}): the same runtime image in the router role, loading
 * no model, reading the traffic split from the mounted ConfigMap and re-reading it when it changes.
 */
public final class RouterDeployment {

    private static final String SPLIT_VOLUME = "split";
    /** Routers hold no model: a fraction of a core and a small heap carry thousands of requests a second. */
    private static final Map<String, Quantity> REQUESTS = Map.of("cpu", new Quantity("250m"), "memory", new Quantity("256Mi"));
    private static final Map<String, Quantity> LIMITS = Map.of("memory", new Quantity("512Mi"));

    private RouterDeployment() {
    }

    public static Deployment build(RecommenderModel model, OperatorDefaults defaults) {
        ServingSpec serving = model.getSpec().servingOrDefault();
        return new DeploymentBuilder()
                .withMetadata(OwnerReferences.metadata(model, Names.router(model), Labels.router(model)))
                .withNewSpec()
                    .withReplicas(serving.autoscaling() != null ? null : serving.routerOrDefault().replicasOrDefault())
                    .withNewSelector().withMatchLabels(Labels.routerSelector(model)).endSelector()
                    .withProgressDeadlineSeconds(600)
                    .withStrategy(PodParts.rollingUpdate())
                    .withNewTemplate()
                        .withNewMetadata().withLabels(Labels.router(model)).endMetadata()
                        .withNewSpec()
                            .withAutomountServiceAccountToken(false)
                            .withEnableServiceLinks(false)
                            .withTerminationGracePeriodSeconds(30L)
                            .withSecurityContext(PodParts.podSecurity())
                            .withNodeSelector(serving.nodeSelector() == null || serving.nodeSelector().isEmpty() ? null
                                    : serving.nodeSelector())
                            .withContainers(PodParts.runtimeContainer(
                                            serving.image() != null ? serving.image() : defaults.runtimeImage(),
                                            defaults.imagePullPolicy())
                                    .withEnv(PodParts.env(MODEL_NAME, model.getMetadata().getName()),
                                            PodParts.env(ROLE, Role.ROUTER),
                                            PodParts.env(ROUTER_SPLIT_FILE, SPLIT_MOUNT + "/" + TrafficSplit.FILE_NAME))
                                    .withResources(new ResourceRequirementsBuilder().withRequests(REQUESTS)
                                            .withLimits(LIMITS).build())
                                    .withVolumeMounts(PodParts.mount("tmp", "/tmp", false),
                                            PodParts.mount(SPLIT_VOLUME, SPLIT_MOUNT, true))
                                    .build())
                            .withVolumes(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build(),
                                    new VolumeBuilder().withName(SPLIT_VOLUME).withNewConfigMap()
                                            .withName(Names.split(model)).endConfigMap().build())
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }
}
