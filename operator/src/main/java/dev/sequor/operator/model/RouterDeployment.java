package dev.sequor.operator.model;

import static dev.sequor.contract.RuntimeContract.FEEDBACK_KAFKA_BOOTSTRAP_SERVERS;
import static dev.sequor.contract.RuntimeContract.FEEDBACK_KAFKA_TOPIC;
import static dev.sequor.contract.RuntimeContract.FEEDBACK_LOG_DIR;
import static dev.sequor.contract.RuntimeContract.MODEL_NAME;
import static dev.sequor.contract.RuntimeContract.ROLE;
import static dev.sequor.contract.RuntimeContract.ROUTER_SPLIT_FILE;
import static dev.sequor.contract.RuntimeContract.SPLIT_MOUNT;

import dev.sequor.api.v1alpha1.FeedbackKafkaSpec;
import dev.sequor.api.v1alpha1.FeedbackLogSpec;
import dev.sequor.api.v1alpha1.FeedbackSinkSpec;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.RetrainingSpec;
import dev.sequor.api.v1alpha1.ServingSpec;
import dev.sequor.contract.Role;
import dev.sequor.contract.TrainingContract;
import dev.sequor.routing.TrafficSplit;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The router Deployment ({@code NAME-router}): the same runtime image in the router role, loading
 * no model, reading the traffic split from the mounted ConfigMap and re-reading it when it changes.
 */
public final class RouterDeployment {

    private static final String SPLIT_VOLUME = "split";
    private static final String FEEDBACK_VOLUME = "feedback";
    /** The pod's own name, from the downward API: the folder of its feedback log. */
    static final String POD_NAME = "POD_NAME";
    /** Routers hold no model: a fraction of a core and a small heap carry thousands of requests a second. */
    private static final Map<String, Quantity> REQUESTS = Map.of("cpu", new Quantity("250m"), "memory", new Quantity("256Mi"));
    private static final Map<String, Quantity> LIMITS = Map.of("memory", new Quantity("512Mi"));

    private RouterDeployment() {
    }

    public static Deployment build(RecommenderModel model, OperatorDefaults defaults) {
        ServingSpec serving = model.getSpec().servingOrDefault();
        List<EnvVar> env = new ArrayList<>(List.of(PodParts.env(MODEL_NAME, model.getMetadata().getName()),
                PodParts.env(ROLE, Role.ROUTER),
                PodParts.env(ROUTER_SPLIT_FILE, SPLIT_MOUNT + "/" + TrafficSplit.FILE_NAME)));
        List<VolumeMount> mounts = new ArrayList<>(List.of(PodParts.mount("tmp", "/tmp", false),
                PodParts.mount(SPLIT_VOLUME, SPLIT_MOUNT, true)));
        List<Volume> volumes = new ArrayList<>(List.of(
                new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build(),
                new VolumeBuilder().withName(SPLIT_VOLUME).withNewConfigMap().withName(Names.split(model))
                        .endConfigMap().build()));
        Optional<String> feedbackClaim = Optional.ofNullable(model.getSpec().retraining())
                .map(RetrainingSpec::feedback).map(FeedbackSinkSpec::log).map(FeedbackLogSpec::claimName);
        if (feedbackClaim.isPresent()) {
            // Routers take the feedback; each pod keeps its own log (one writer per log) on the shared claim.
            env.add(new EnvVarBuilder().withName(POD_NAME).withNewValueFrom().withNewFieldRef()
                    .withFieldPath("metadata.name").endFieldRef().endValueFrom().build());
            env.add(PodParts.env(FEEDBACK_LOG_DIR, TrainingContract.FEEDBACK_MOUNT + "/$(" + POD_NAME + ")"));
            mounts.add(PodParts.mount(FEEDBACK_VOLUME, TrainingContract.FEEDBACK_MOUNT, false));
            volumes.add(new VolumeBuilder().withName(FEEDBACK_VOLUME).withNewPersistentVolumeClaim()
                    .withClaimName(feedbackClaim.get()).endPersistentVolumeClaim().build());
        }
        Optional<FeedbackKafkaSpec> kafka = Optional.ofNullable(model.getSpec().retraining())
                .map(RetrainingSpec::feedback).map(FeedbackSinkSpec::kafka);
        kafka.ifPresent(k -> {
            env.add(PodParts.env(FEEDBACK_KAFKA_BOOTSTRAP_SERVERS, k.bootstrapServers()));
            env.add(PodParts.env(FEEDBACK_KAFKA_TOPIC, k.topicFor(model)));
        });
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
                                    .withEnv(env)
                                    .withResources(new ResourceRequirementsBuilder().withRequests(REQUESTS)
                                            .withLimits(LIMITS).build())
                                    .withVolumeMounts(mounts)
                                    .build())
                            .withVolumes(volumes)
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }
}
