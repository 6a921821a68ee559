package dev.sequor.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.ResolvedModel;
import dev.sequor.contract.RuntimeContract;
import dev.sequor.operator.testing.TestModels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PredictorDeploymentTest {

    private static final OperatorDefaults DEFAULTS = OperatorDefaults.standard("registry.example/runtime:1");
    private static final ServedVersion MLFLOW_V7 = new ServedVersion("champion", new ModelPackage(
            new ResolvedModel("movies-sasrec", "7", "champion", "mlflow-artifacts:/1/abc/artifacts/model"),
            "http://mlflow.mlops:5000", "mlflow-creds"), 100);

    @Test
    void cpuModelGetsDefaultsOneReplicaAndTheRuntimeContract() {
        RecommenderModel model = TestModels.stored("movies", "recs", "model: {uri: 'https://models.example/m/3'}");
        Deployment d = PredictorDeployment.build(model, uri("https://models.example/m/3"), DEFAULTS);

        // No registry version: named by the URI's hash, stable while that package is served.
        assertThat(d.getMetadata().getName()).matches("movies-u[0-9a-f]{8}");
        assertThat(d.getMetadata().getNamespace()).isEqualTo("recs");
        assertThat(d.getSpec().getReplicas()).isEqualTo(1);
        Container c = container(d);
        assertThat(c.getImage()).isEqualTo("registry.example/runtime:1");
        assertThat(c.getResources().getRequests()).containsEntry("cpu", new Quantity("1"))
                .containsEntry("memory", new Quantity("2Gi"));
        assertThat(c.getResources().getLimits()).doesNotContainKey(PredictorDeployment.GPU_RESOURCE);
        assertThat(env(c)).containsEntry(RuntimeContract.MODEL_NAME, "movies")
                .containsEntry(RuntimeContract.MODEL_URI, "https://models.example/m/3")
                .containsEntry(RuntimeContract.MODEL_VERSION, "")
                .containsEntry(RuntimeContract.ROLE, "predictor")
                .doesNotContainKey(RuntimeContract.VARIANT)
                .doesNotContainKey(RuntimeContract.MLFLOW_TRACKING_URI);
        assertThat(pod(d).getTolerations()).isNull();
    }

    @Test
    void gpuModelRequestsGpusAndToleratesTheGpuTaint() {
        RecommenderModel model = TestModels.stored("movies", "recs", """
                model: {registry: {name: movies-sasrec, alias: champion}}
                serving:
                  replicas: 3
                  resources: {gpu: 2, cpu: "4", memory: 8Gi}
                  nodeSelector: {accelerator: nvidia-l4}
                  tolerations: [{key: dedicated, operator: Equal, value: ml, effect: NoSchedule}]
                """);
        Deployment d = PredictorDeployment.build(model, MLFLOW_V7, DEFAULTS);

        assertThat(d.getSpec().getReplicas()).isEqualTo(3);
        Container c = container(d);
        assertThat(c.getResources().getLimits()).containsEntry(PredictorDeployment.GPU_RESOURCE, new Quantity("2"))
                .containsEntry("cpu", new Quantity("4")).containsEntry("memory", new Quantity("8Gi"));
        assertThat(pod(d).getNodeSelector()).containsEntry("accelerator", "nvidia-l4");
        assertThat(pod(d).getTolerations()).extracting("key").containsExactly("dedicated", "nvidia.com/gpu");
        assertThat(pod(d).getTolerations().get(1).getOperator()).isEqualTo("Exists");
    }

    @Test
    void registryModelPinsTheResolvedVersionAndPassesCredentialsBySecretReference() {
        RecommenderModel model = TestModels.stored("movies", "recs", """
                model: {registry: {name: movies-sasrec, alias: champion, credentialsSecret: mlflow-creds}}
                serving:
                  batching: {maxBatchSize: 64, maxDelay: 2ms}
                  topK: {default: 10, max: 200}
                """);
        Container c = container(PredictorDeployment.build(model, MLFLOW_V7, DEFAULTS));

        assertThat(env(c)).containsEntry(RuntimeContract.MODEL_VERSION, "7")
                .containsEntry(RuntimeContract.MODEL_URI, "mlflow-artifacts:/1/abc/artifacts/model")
                .containsEntry(RuntimeContract.MLFLOW_TRACKING_URI, "http://mlflow.mlops:5000")
                .containsEntry(RuntimeContract.BATCH_MAX_SIZE, "64")
                .containsEntry(RuntimeContract.BATCH_MAX_DELAY, "2ms")
                .containsEntry(RuntimeContract.TOPK_DEFAULT, "10")
                .containsEntry(RuntimeContract.TOPK_MAX, "200");
        EnvVar token = c.getEnv().stream().filter(e -> e.getName().equals(RuntimeContract.MLFLOW_TRACKING_TOKEN))
                .findFirst().orElseThrow();
        assertThat(token.getValue()).isNull();
        assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("mlflow-creds");
        assertThat(token.getValueFrom().getSecretKeyRef().getOptional()).isTrue();
        // With every optional setting on, predictor and router pods together get exactly the contract's
        // variables (RuntimeContractTest in the runtime proves each one arrives in its configuration) but
        // the variant: behind a router, a predictor learns it per request.
        Set<String> names = new HashSet<>();
        c.getEnv().forEach(e -> names.add(e.getName()));
        // The feedback log comes with spec.retraining's feedback claim; the downward-API pod name that
        // names each router's log folder is a helper, not a contract variable.
        RecommenderModel retraining = TestModels.stored("movies", "recs", """
                model: {registry: {name: movies-sasrec, alias: champion, credentialsSecret: mlflow-creds}}
                rollout: {strategy: Canary, candidateAlias: candidate, steps: [{weight: 10}], analysis: {}}
                retraining:
                  feedback: {log: {claimName: movies-feedback}}
                  job: {baseData: {uri: 'pvc://datasets/movies.csv'}}
                """);
        Container router = RouterDeployment.build(retraining, DEFAULTS).getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        router.getEnv().stream().filter(e -> e.getValueFrom() == null || e.getValueFrom().getFieldRef() == null)
                .forEach(e -> names.add(e.getName()));
        // Or, instead of the log, a Kafka topic.
        RecommenderModel kafka = TestModels.stored("movies", "recs", """
                model: {registry: {name: movies-sasrec, alias: champion}}
                rollout: {strategy: Canary, candidateAlias: candidate, steps: [{weight: 10}], analysis: {}}
                retraining:
                  feedback: {kafka: {bootstrapServers: 'kafka-0.kafka:9092,kafka-1.kafka:9092'}}
                  job: {baseData: {uri: 'pvc://datasets/movies.csv'}}
                """);
        Container kafkaRouter = RouterDeployment.build(kafka, DEFAULTS).getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        kafkaRouter.getEnv().forEach(e -> names.add(e.getName()));
        assertThat(env(kafkaRouter)).containsEntry(RuntimeContract.FEEDBACK_KAFKA_BOOTSTRAP_SERVERS,
                "kafka-0.kafka:9092,kafka-1.kafka:9092")
                .containsEntry(RuntimeContract.FEEDBACK_KAFKA_TOPIC, "sequor-feedback.recs.movies")
                .doesNotContainKey(RuntimeContract.FEEDBACK_LOG_DIR);
        assertThat(kafkaRouter.getVolumeMounts()).noneMatch(m -> m.getMountPath().equals("/sequor/feedback"));
        Set<String> contract = new HashSet<>(RuntimeContract.ENVIRONMENT.keySet());
        contract.remove(RuntimeContract.VARIANT);
        assertThat(names).isEqualTo(contract);
        assertThat(env(router)).containsEntry(RuntimeContract.FEEDBACK_LOG_DIR, "/sequor/feedback/$(POD_NAME)");
        assertThat(router.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo("/sequor/feedback");
            assertThat(m.getReadOnly()).isNull();
        });
    }

    @Test
    void autoscaledModelLeavesReplicasToTheAutoscaler() {
        RecommenderModel model = TestModels.stored("movies", "recs", """
                model: {uri: 'https://models.example/m/3'}
                serving: {autoscaling: {minReplicas: 2, maxReplicas: 5}}
                """);
        assertThat(PredictorDeployment.build(model, MLFLOW_V7, DEFAULTS).getSpec().getReplicas()).isNull();
    }

    @Test
    void podIsLockedDownAndProbedOnTheRuntimeHealthEndpoints() {
        RecommenderModel model = TestModels.stored("movies", "recs", "model: {uri: 'https://models.example/m/3'}");
        Deployment d = PredictorDeployment.build(model, MLFLOW_V7, DEFAULTS);
        Container c = container(d);

        assertThat(pod(d).getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod(d).getAutomountServiceAccountToken()).isFalse();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo(RuntimeContract.READINESS_PATH);
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo(RuntimeContract.LIVENESS_PATH);
        assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo(RuntimeContract.STARTUP_PATH);
        assertThat(c.getVolumeMounts()).extracting("mountPath").contains("/tmp", RuntimeContract.CACHE_MOUNT);
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        assertThat(d.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(ref -> {
                    assertThat(ref.getUid()).isEqualTo("uid-movies");
                    assertThat(ref.getController()).isTrue();
                });
    }

    @Test
    void pvcSourceIsMountedReadOnlyAndPassedAsAFileUri() {
        RecommenderModel model = TestModels.stored("movies", "recs", "model: {uri: 'pvc://model-store/movies/7'}");
        Deployment d = PredictorDeployment.build(model, uri("pvc://model-store/movies/7"), DEFAULTS);

        assertThat(env(container(d))).containsEntry(RuntimeContract.MODEL_URI, "file:///mnt/models/movies/7");
        assertThat(pod(d).getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null).singleElement()
                .satisfies(v -> {
                    assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("model-store");
                    assertThat(v.getPersistentVolumeClaim().getReadOnly()).isTrue();
                });
        assertThat(container(d).getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo(RuntimeContract.PVC_MOUNT);
            assertThat(m.getReadOnly()).isTrue();
        });
    }

    @Test
    void sameInputsGiveEqualObjects() {
        RecommenderModel model = TestModels.stored("movies", "recs", "model: {uri: 'https://models.example/m/3'}");
        assertThat(PredictorDeployment.build(model, MLFLOW_V7, DEFAULTS))
                .isEqualTo(PredictorDeployment.build(model, MLFLOW_V7, DEFAULTS));
    }

    @Test
    void theVariantLabelsTheDeploymentButNeverItsPods() {
        RecommenderModel model = TestModels.stored("movies", "recs", "model: {registry: {name: movies-sasrec, alias: champion}}");
        Deployment asChampion = PredictorDeployment.build(model, MLFLOW_V7, DEFAULTS);
        Deployment asCandidate = PredictorDeployment.build(model, new ServedVersion("candidate", MLFLOW_V7.pkg(), 10), DEFAULTS);

        assertThat(asChampion.getMetadata().getName()).isEqualTo("movies-v7");
        assertThat(asChampion.getMetadata().getLabels()).containsEntry(Labels.VARIANT, "champion")
                .containsEntry(Labels.VERSION, "v7");
        assertThat(asCandidate.getMetadata().getLabels()).containsEntry(Labels.VARIANT, "candidate");
        // A promotion changes no selector and no pod template: no pod restarts.
        assertThat(asCandidate.getSpec()).isEqualTo(asChampion.getSpec());
        assertThat(asChampion.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKey(Labels.VARIANT);
    }

    private static ServedVersion uri(String uri) {
        return new ServedVersion("champion", new ModelPackage(new ResolvedModel(null, null, null, uri), null, null), 100);
    }

    private static PodSpec pod(Deployment d) {
        return d.getSpec().getTemplate().getSpec();
    }

    private static Container container(Deployment d) {
        return pod(d).getContainers().get(0);
    }

    private static Map<String, String> env(Container c) {
        return c.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }
}
