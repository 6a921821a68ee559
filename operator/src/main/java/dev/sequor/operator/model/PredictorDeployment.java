package dev.sequor.operator.model;

import static dev.sequor.contract.RuntimeContract.*;

import dev.sequor.api.v1alpha1.BatchingSpec;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.ResourcesSpec;
import dev.sequor.api.v1alpha1.ServingSpec;
import dev.sequor.api.v1alpha1.TolerationSpec;
import dev.sequor.api.v1alpha1.TopKSpec;
import dev.sequor.contract.Role;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One version's predictor Deployment ({@code NAME-v7}): inference-runtime pods serving one resolved
 * model package. Its selector and pod template hold the version, never the variant, so a change
 * of variant or weight restarts nothing.
 */
public final class PredictorDeployment {

    public static final String CONTAINER = PodParts.CONTAINER;
    public static final String GPU_RESOURCE = "nvidia.com/gpu";
    private static final String PVC_VOLUME = "model-store";

    private PredictorDeployment() {
    }

    public static Deployment build(RecommenderModel model, ServedVersion version, OperatorDefaults defaults) {
        ServingSpec serving = model.getSpec().servingOrDefault();
        ModelLocation location = ModelLocation.of(version.pkg().resolved().uri());
        Integer replicas = serving.autoscaling() != null ? null
                : serving.replicas() != null ? serving.replicas() : 1;

        return new DeploymentBuilder()
                .withMetadata(OwnerReferences.metadata(model, Names.predictor(model, version),
                        Labels.predictor(model, version)))
                .withNewSpec()
                    .withReplicas(replicas)
                    .withNewSelector().withMatchLabels(Labels.predictorSelector(model, version)).endSelector()
                    .withProgressDeadlineSeconds(600)
                    .withStrategy(PodParts.rollingUpdate())
                    .withNewTemplate()
                        .withNewMetadata()
                            .withLabels(Labels.predictorPod(model, version))
                        .endMetadata()
                        .withNewSpec()
                            .withAutomountServiceAccountToken(false)
                            .withEnableServiceLinks(false)
                            .withTerminationGracePeriodSeconds(30L)
                            .withSecurityContext(PodParts.podSecurity())
                            .withNodeSelector(nullIfEmpty(serving.nodeSelector()))
                            .withTolerations(tolerations(serving))
                            .withContainers(container(model, version.pkg(), defaults, serving, location))
                            .withVolumes(volumes(location))
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    private static Container container(RecommenderModel model, ModelPackage pkg, OperatorDefaults defaults,
            ServingSpec serving, ModelLocation location) {
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(PodParts.mount("tmp", "/tmp", false));
        mounts.add(PodParts.mount("model-cache", CACHE_MOUNT, false));
        if (location.pvcClaim() != null) {
            mounts.add(PodParts.mount(PVC_VOLUME, PVC_MOUNT, true));
        }
        return PodParts.runtimeContainer(serving.image() != null ? serving.image() : defaults.runtimeImage(),
                        defaults.imagePullPolicy())
                .withEnv(env(model, pkg, serving, location))
                .withResources(resources(serving.resources(), defaults))
                .withVolumeMounts(mounts)
                .build();
    }

    private static List<EnvVar> env(RecommenderModel model, ModelPackage pkg, ServingSpec serving,
            ModelLocation location) {
        List<EnvVar> env = new ArrayList<>();
        env.add(env(MODEL_NAME, model.getMetadata().getName()));
        env.add(env(MODEL_VERSION, pkg.resolved().version() != null ? pkg.resolved().version() : ""));
        env.add(env(MODEL_URI, location.podUri()));
        env.add(env(ROLE, Role.PREDICTOR));
        env.add(env(MODEL_CACHE_DIR, CACHE_MOUNT));
        BatchingSpec batching = serving.batching();
        if (batching != null && batching.maxBatchSize() != null) {
            env.add(env(BATCH_MAX_SIZE, batching.maxBatchSize().toString()));
        }
        if (batching != null && batching.maxDelay() != null) {
            env.add(env(BATCH_MAX_DELAY, batching.maxDelay()));
        }
        TopKSpec topK = serving.topK();
        if (topK != null && topK.defaultK() != null) {
            env.add(env(TOPK_DEFAULT, topK.defaultK().toString()));
        }
        if (topK != null && topK.max() != null) {
            env.add(env(TOPK_MAX, topK.max().toString()));
        }
        pkg.trackingUriIfAny().ifPresent(uri -> env.add(env(MLFLOW_TRACKING_URI, uri)));
        if (pkg.credentialsSecret() != null) {
            for (String key : List.of(MLFLOW_TRACKING_TOKEN, MLFLOW_TRACKING_USERNAME, MLFLOW_TRACKING_PASSWORD)) {
                env.add(new EnvVarBuilder().withName(key)
                        .withNewValueFrom().withNewSecretKeyRef(key, pkg.credentialsSecret(), true).endValueFrom()
                        .build());
            }
        }
        return env;
    }

    private static ResourceRequirements resources(ResourcesSpec spec, OperatorDefaults defaults) {
        String cpu = spec != null && spec.cpu() != null ? spec.cpu() : defaults.defaultCpu();
        String memory = spec != null && spec.memory() != null ? spec.memory() : defaults.defaultMemory();
        Map<String, Quantity> amounts = new LinkedHashMap<>();
        amounts.put("cpu", new Quantity(cpu));
        amounts.put("memory", new Quantity(memory));
        Map<String, Quantity> limits = new LinkedHashMap<>(amounts);
        int gpus = spec != null ? spec.gpuOrDefault() : 0;
        if (gpus > 0) {
            // Extended resources are limits only; the request follows the limit.
            limits.put(GPU_RESOURCE, new Quantity(Integer.toString(gpus)));
        }
        return new ResourceRequirementsBuilder().withRequests(amounts).withLimits(limits).build();
    }

    private static List<Toleration> tolerations(ServingSpec serving) {
        List<Toleration> tolerations = new ArrayList<>();
        if (serving.tolerations() != null) {
            for (TolerationSpec t : serving.tolerations()) {
                tolerations.add(new TolerationBuilder().withKey(t.key()).withOperator(t.operator())
                        .withValue(t.value()).withEffect(t.effect()).withTolerationSeconds(t.tolerationSeconds())
                        .build());
            }
        }
        boolean wantsGpu = serving.resources() != null && serving.resources().gpuOrDefault() > 0;
        boolean gpuTaintTolerated = tolerations.stream().anyMatch(t -> GPU_RESOURCE.equals(t.getKey()));
        if (wantsGpu && !gpuTaintTolerated) {
            tolerations.add(new TolerationBuilder().withKey(GPU_RESOURCE).withOperator("Exists")
                    .withEffect("NoSchedule").build());
        }
        return tolerations.isEmpty() ? null : tolerations;
    }

    private static List<Volume> volumes(ModelLocation location) {
        List<Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
        volumes.add(new VolumeBuilder().withName("model-cache").withNewEmptyDir().endEmptyDir().build());
        if (location.pvcClaim() != null) {
            volumes.add(new VolumeBuilder().withName(PVC_VOLUME)
                    .withNewPersistentVolumeClaim(location.pvcClaim(), true).build());
        }
        return volumes;
    }

    private static EnvVar env(String name, String value) {
        return PodParts.env(name, value);
    }

    private static <K, V> Map<K, V> nullIfEmpty(Map<K, V> map) {
        return map == null || map.isEmpty() ? null : map;
    }
}
