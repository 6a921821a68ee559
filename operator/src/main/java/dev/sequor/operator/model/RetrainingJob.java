package dev.sequor.operator.model;

import static dev.sequor.contract.TrainingContract.CONTAINER;
import static dev.sequor.contract.TrainingContract.DATA_MOUNT;
import static dev.sequor.contract.TrainingContract.EXIT_OVER_BUDGET;
import static dev.sequor.contract.TrainingContract.EXIT_USAGE;
import static dev.sequor.contract.TrainingContract.EXIT_WORSE_THAN_CHAMPION;
import static dev.sequor.contract.TrainingContract.FEEDBACK_MOUNT;
import static dev.sequor.contract.TrainingContract.REPORT_ENV;
import static dev.sequor.contract.TrainingContract.REPORT_PATH;
import static dev.sequor.contract.TrainingContract.TAG_PARENT_VERSION;
import static dev.sequor.contract.TrainingContract.TAG_TRAINING_JOB;
import static dev.sequor.contract.TrainingContract.TAG_TRIGGER;

import dev.sequor.analysis.privacy.PrivacyLedger;
import dev.sequor.api.v1alpha1.DifferentialPrivacySpec;
import dev.sequor.api.v1alpha1.FeedbackSinkSpec;
import dev.sequor.api.v1alpha1.PrivacySpec;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.RegistryModelRef;
import dev.sequor.api.v1alpha1.RetrainingSpec;
import dev.sequor.api.v1alpha1.TrainingJobSpec;
import dev.sequor.api.v1alpha1.TrainingResourcesSpec;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRuleBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The batch/v1 Job of one training run: the trainer on the base data and the feedback log, told
 * where to register (the model's registry), which alias to move (the rollout's candidate alias) and
 * which to beat (the champion's). Pure: values in, a Fabric8 object out.
 */
public final class RetrainingJob {

    public static final String COMPONENT = "trainer";
    static final String DATA_VOLUME = "base-data";
    static final String FEEDBACK_VOLUME = "feedback";
    static final String TMP_VOLUME = "tmp";

    /**
     * One run.
     *
     * @param jobName the Job's name
     * @param trigger what started it (a trigger kind's label)
     * @param parentVersion the champion version when it started
     * @param privacySpent the DP-SGD runs already on the model's data (composed with this one by the trainer)
     */
    public record Run(String jobName, String trigger, String parentVersion, PrivacyLedger privacySpent) {

        public Run(String jobName, String trigger, String parentVersion) {
            this(jobName, trigger, parentVersion, PrivacyLedger.EMPTY);
        }
    }

    /**
     * Where the Job registers: an MLflow tracking server, or the local directory registry (a path the
     * Job must see: single-machine setups).
     */
    public record RegistryTarget(String mlflowTrackingUri, Path localRoot) {
    }

    /** The operator-wide trainer image (spec.retraining.job.image overrides it). */
    public record Defaults(String image, String imagePullPolicy) {
    }

    private RetrainingJob() {
    }

    /** {@code NAME-train-<seconds since the epoch, base 36>}: unique per run, ordered, short. */
    public static String name(RecommenderModel model, long epochSeconds) {
        return model.getMetadata().getName() + "-train-" + Long.toString(epochSeconds, 36);
    }

    public static Map<String, String> labels(RecommenderModel model) {
        Map<String, String> labels = new LinkedHashMap<>(Labels.model(model));
        labels.put(Labels.NAME, "sequor-trainer");
        labels.put(Labels.COMPONENT, COMPONENT);
        return labels;
    }

    public static Job build(RecommenderModel model, Run run, RegistryTarget registry, Defaults defaults) {
        RetrainingSpec retraining = model.getSpec().retraining();
        TrainingJobSpec job = retraining.job();
        RegistryModelRef ref = model.getSpec().model().registry();
        Map<String, String> labels = labels(model);
        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        String claim = claimOf(job.baseData().uri());
        volumes.add(claimVolume(DATA_VOLUME, claim));
        mounts.add(PodParts.mount(DATA_VOLUME, DATA_MOUNT + "/" + claim, true));
        boolean feedback = retraining.feedback() != null && retraining.feedback().log() != null;
        if (feedback) {
            volumes.add(claimVolume(FEEDBACK_VOLUME, retraining.feedback().log().claimName()));
            mounts.add(PodParts.mount(FEEDBACK_VOLUME, FEEDBACK_MOUNT, true));
        }
        // The root file system is read-only: the package is written, and PyTorch unpacked, under /tmp.
        volumes.add(new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().build());
        mounts.add(PodParts.mount(TMP_VOLUME, "/tmp", false));
        int gpus = job.resources() != null && job.resources().gpu() != null ? job.resources().gpu() : 0;

        return new JobBuilder()
                .withMetadata(OwnerReferences.metadata(model, run.jobName(), labels))
                .withNewSpec()
                    .withBackoffLimit(job.backoffLimit() != null ? job.backoffLimit() : 1)
                    .withTtlSecondsAfterFinished(job.ttlSecondsAfterFinished() != null ? job.ttlSecondsAfterFinished()
                            : 86_400)
                    // A usage error or a model worse than the champion fails at once: a retry would say the same.
                    .withNewPodFailurePolicy()
                        .withRules(new PodFailurePolicyRuleBuilder().withAction("FailJob")
                                .withNewOnExitCodes().withContainerName(CONTAINER).withOperator("In")
                                .withValues(EXIT_USAGE, EXIT_WORSE_THAN_CHAMPION, EXIT_OVER_BUDGET).endOnExitCodes()
                                .build(),
                                new PodFailurePolicyRuleBuilder().withAction("Ignore")
                                        .addNewOnPodCondition().withType("DisruptionTarget").withStatus("True")
                                        .endOnPodCondition().build())
                    .endPodFailurePolicy()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            .withSecurityContext(PodParts.podSecurity())
                            .withTolerations(gpus > 0 ? List.of(gpuToleration()) : null)
                            .withVolumes(volumes)
                            .addNewContainer()
                                .withName(CONTAINER)
                                .withImage(job.image() != null ? job.image() : defaults.image())
                                .withImagePullPolicy(defaults.imagePullPolicy())
                                .withArgs(args(model, run, registry, claim, feedback, gpus))
                                .withEnv(PodParts.env("DJL_CACHE_DIR", "/tmp/djl"), PodParts.env("HOME", "/tmp"),
                                        PodParts.env(REPORT_ENV, REPORT_PATH))
                                .withTerminationMessagePath(REPORT_PATH)
                                .withEnvFrom(credentials(ref))
                                .withResources(resources(job.resources(), gpus))
                                .withVolumeMounts(mounts)
                                .withSecurityContext(PodParts.containerSecurity())
                            .endContainer()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    /** The trainer's command line (the image's entry point is the trainer). */
    static List<String> args(RecommenderModel model, Run run, RegistryTarget registry, String claim, boolean feedback,
            int gpus) {
        TrainingJobSpec job = model.getSpec().retraining().job();
        RegistryModelRef ref = model.getSpec().model().registry();
        List<String> args = new ArrayList<>();
        args.add("--data");
        args.add(DATA_MOUNT + "/" + claim + "/" + pathOf(job.baseData().uri()));
        args.add("--format");
        args.add(job.baseData().format() != null ? job.baseData().format() : "sasrec");
        if (feedback) {
            args.add("--feedback-log");
            args.add(FEEDBACK_MOUNT);
        }
        FeedbackSinkSpec sink = model.getSpec().retraining().feedback();
        if (sink != null && sink.kafka() != null) {
            args.addAll(List.of("--feedback-kafka", sink.kafka().bootstrapServers(), "--feedback-topic",
                    sink.kafka().topicFor(model)));
        }
        if (registry.mlflowTrackingUri() != null) {
            args.add("--mlflow");
            args.add(registry.mlflowTrackingUri());
        } else {
            args.add("--registry");
            args.add(registry.localRoot().toString());
        }
        args.addAll(List.of("--model-name", ref.name(), "--alias", model.getSpec().rollout().candidateAlias(),
                "--compare-with", ref.alias(), "--max-regression",
                String.format(Locale.ROOT, "%s", job.maxRegression() != null ? job.maxRegression() : 0.0)));
        args.addAll(List.of("--tag", TAG_TRIGGER + "=" + run.trigger(), "--tag", TAG_TRAINING_JOB + "=" + run.jobName()));
        if (run.parentVersion() != null) {
            args.addAll(List.of("--tag", TAG_PARENT_VERSION + "=" + run.parentVersion()));
        }
        if (gpus > 0) {
            args.addAll(List.of("--device", "gpu"));
        }
        PrivacySpec privacy = model.getSpec().retraining().privacy();
        if (privacy != null && privacy.differentialPrivacy() != null) {
            DifferentialPrivacySpec dp = privacy.differentialPrivacy();
            args.addAll(List.of("--dp-epsilon", number(dp.targetEpsilon()), "--dp-delta", number(dp.deltaOrDefault()),
                    "--max-grad-norm", number(dp.maxGradNormOrDefault())));
            if (privacy.budget() != null) {
                args.addAll(List.of("--privacy-budget", number(privacy.budget().epsilon())));
            }
            if (!run.privacySpent().runs().isEmpty()) {
                args.addAll(List.of("--privacy-spent", run.privacySpent().format()));
            }
        }
        Map<String, String> hyper = job.hyperParameters() != null ? job.hyperParameters() : Map.of();
        if (!hyper.containsKey("short-users")) {
            // Feedback brings users with one or two actions: trained on, not evaluated (the trainer's default refuses them).
            args.addAll(List.of("--short-users", "train-only"));
        }
        new TreeMap<>(job.hyperParameters() != null ? job.hyperParameters() : Map.<String, String>of())
                .forEach((k, v) -> args.addAll(List.of("--" + k, v)));
        return args;
    }

    private static String number(double value) {
        return Double.toString(value);
    }

    private static List<EnvFromSource> credentials(RegistryModelRef ref) {
        // The Secret's keys are the MLflow variables (MLFLOW_TRACKING_TOKEN, ..._USERNAME, ..._PASSWORD).
        return ref.credentialsSecret() == null ? null : List.of(new EnvFromSourceBuilder().withNewSecretRef()
                .withName(ref.credentialsSecret()).endSecretRef().build());
    }

    private static ResourceRequirements resources(TrainingResourcesSpec spec, int gpus) {
        Map<String, Quantity> amounts = new LinkedHashMap<>();
        amounts.put("cpu", new Quantity(spec != null && spec.cpu() != null ? spec.cpu() : "2"));
        amounts.put("memory", new Quantity(spec != null && spec.memory() != null ? spec.memory() : "4Gi"));
        Map<String, Quantity> limits = new LinkedHashMap<>(amounts);
        if (gpus > 0) {
            limits.put(PredictorDeployment.GPU_RESOURCE, new Quantity(Integer.toString(gpus)));
        }
        return new ResourceRequirementsBuilder().withRequests(amounts).withLimits(limits).build();
    }

    private static Toleration gpuToleration() {
        return new TolerationBuilder().withKey(PredictorDeployment.GPU_RESOURCE).withOperator("Exists")
                .withEffect("NoSchedule").build();
    }

    private static Volume claimVolume(String name, String claim) {
        return new VolumeBuilder().withName(name).withNewPersistentVolumeClaim().withClaimName(claim)
                .withReadOnly(true).endPersistentVolumeClaim().build();
    }

    /** CLAIM of pvc://CLAIM/PATH (the schema holds the form). */
    static String claimOf(String uri) {
        String rest = uri.substring("pvc://".length());
        return rest.substring(0, rest.indexOf('/'));
    }

    static String pathOf(String uri) {
        String rest = uri.substring("pvc://".length());
        return rest.substring(rest.indexOf('/') + 1);
    }
}
