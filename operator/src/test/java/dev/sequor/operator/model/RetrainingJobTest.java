package dev.sequor.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.contract.TrainingContract;
import dev.sequor.operator.testing.TestModels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RetrainingJobTest {

    private static final RetrainingJob.Defaults DEFAULTS = new RetrainingJob.Defaults("ghcr.io/sequor-dev/trainer:0.1.0",
            "IfNotPresent");
    private static final RetrainingJob.RegistryTarget MLFLOW = new RetrainingJob.RegistryTarget("http://mlflow.mlops:5000",
            null);

    private static RecommenderModel model(String retraining) {
        return TestModels.stored("games", "recs", """
                model: {registry: {name: games-sasrec, alias: champion, credentialsSecret: mlflow-creds}}
                rollout: {strategy: Canary, candidateAlias: candidate, steps: [{weight: 10}], analysis: {}}
                retraining:
                """ + retraining);
    }

    @Test
    void theJobTrainsOnTheBaseDataAndTheFeedbackAndRegistersTheCandidateAgainstTheChampion() {
        RecommenderModel model = model("""
                  feedback: {log: {claimName: games-feedback}}
                  job:
                    baseData: {uri: 'pvc://datasets/games/interactions.csv', format: csv}
                    hyperParameters: {lr: '0.001', epochs: '50'}
                    maxRegression: 0.005
                    backoffLimit: 2
                    ttlSecondsAfterFinished: 3600
                """);
        Job job = RetrainingJob.build(model, new RetrainingJob.Run("games-train-abc", "metric", "7"), MLFLOW, DEFAULTS);

        assertThat(job.getMetadata().getName()).isEqualTo("games-train-abc");
        assertThat(job.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getName()).isEqualTo("games"));
        assertThat(job.getMetadata().getLabels()).containsEntry(Labels.COMPONENT, "trainer")
                .containsEntry(Labels.MANAGED_BY, Labels.OPERATOR);
        assertThat(job.getSpec().getBackoffLimit()).isEqualTo(2);
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(3600);
        assertThat(job.getSpec().getPodFailurePolicy().getRules().get(0).getOnExitCodes().getValues())
                .containsExactly(TrainingContract.EXIT_USAGE, TrainingContract.EXIT_WORSE_THAN_CHAMPION,
                        TrainingContract.EXIT_OVER_BUDGET);
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        Container c = pod.getContainers().get(0);
        assertThat(c.getName()).isEqualTo(TrainingContract.CONTAINER);
        assertThat(c.getImage()).isEqualTo("ghcr.io/sequor-dev/trainer:0.1.0");
        assertThat(c.getArgs()).containsExactly(
                "--data", "/sequor/data/datasets/games/interactions.csv", "--format", "csv",
                "--feedback-log", "/sequor/feedback",
                "--mlflow", "http://mlflow.mlops:5000",
                "--model-name", "games-sasrec", "--alias", "candidate", "--compare-with", "champion",
                "--max-regression", "0.005",
                "--tag", "sequor.trigger=metric", "--tag", "sequor.training_job=games-train-abc",
                "--tag", "sequor.parent_version=7", "--short-users", "train-only",
                "--epochs", "50", "--lr", "0.001");
        assertThat(c.getEnvFrom()).singleElement()
                .satisfies(e -> assertThat(e.getSecretRef().getName()).isEqualTo("mlflow-creds"));
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getVolumeMounts()).extracting(m -> m.getMountPath() + (Boolean.TRUE.equals(m.getReadOnly()) ? " ro" : ""))
                .containsExactly("/sequor/data/datasets ro", "/sequor/feedback ro", "/tmp");
        assertThat(pod.getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .extracting(v -> v.getPersistentVolumeClaim().getClaimName()).containsExactly("datasets", "games-feedback");
        assertThat(c.getResources().getLimits()).doesNotContainKey(PredictorDeployment.GPU_RESOURCE);
        assertThat(pod.getTolerations()).isNull();
    }

    @Test
    void aGpuJobAsksForTheGpuToleratesItsTaintAndTrainsOnIt() {
        RecommenderModel model = model("""
                  job:
                    image: registry.example.com/trainer:dev
                    resources: {gpu: 1, cpu: '8', memory: 32Gi}
                    baseData: {uri: 'pvc://datasets/games.txt'}
                """);
        Job job = RetrainingJob.build(model, new RetrainingJob.Run("games-train-x", "manual", null),
                new RetrainingJob.RegistryTarget(null, Path.of("/registry")), DEFAULTS);
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("registry.example.com/trainer:dev");
        assertThat(c.getResources().getLimits().get(PredictorDeployment.GPU_RESOURCE).getAmount()).isEqualTo("1");
        assertThat(c.getResources().getRequests().get("memory").toString()).isEqualTo("32Gi");
        assertThat(pod.getTolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));
        assertThat(c.getArgs()).containsSubsequence("--format", "sasrec").containsSubsequence("--registry", "/registry")
                .containsSubsequence("--device", "gpu").doesNotContain("--feedback-log", "--mlflow")
                .noneMatch(a -> a.startsWith("sequor.parent_version"));
    }

    @Test
    void withKafkaTheJobReadsTheModelsTopicAndMountsNoFeedbackClaim() {
        RecommenderModel model = model("""
                  feedback: {kafka: {bootstrapServers: 'kafka-0.kafka:9092'}}
                  job: {baseData: {uri: 'pvc://datasets/games.txt'}}
                """);
        Job job = RetrainingJob.build(model, new RetrainingJob.Run("games-train-k", "dataVolume", "3"), MLFLOW, DEFAULTS);
        Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getArgs()).containsSubsequence("--feedback-kafka", "kafka-0.kafka:9092", "--feedback-topic",
                "sequor-feedback." + model.getMetadata().getNamespace() + ".games").doesNotContain("--feedback-log");
        assertThat(c.getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly("/sequor/data/datasets", "/tmp");
    }

    @Test
    void jobNamesAreUniquePerSecondAndShort() {
        RecommenderModel model = model("  job: {baseData: {uri: 'pvc://d/x'}}\n");
        assertThat(RetrainingJob.name(model, 1_795_000_000L)).isEqualTo("games-train-top2v4");
        assertThat(RetrainingJob.name(model, 1_795_000_001L)).isEqualTo("games-train-top2v5");
    }
}
