package dev.sequor.trainer.cli;

import ai.djl.Device;
import dev.sequor.feedback.FeedbackSnapshot;
import dev.sequor.feedback.KafkaFeedbackReader;
import dev.sequor.contract.TrainingContract;
import dev.sequor.modelpackage.LocalRegistry;
import dev.sequor.modelpackage.ModelPackage;
import dev.sequor.modelpackage.PackageMetadata;
import dev.sequor.modelpackage.RegistryException;
import dev.sequor.analysis.privacy.PrivacyLedger;
import dev.sequor.trainer.data.DataException;
import dev.sequor.trainer.data.FeedbackData;
import dev.sequor.trainer.privacy.DpSgdPlan;
import dev.sequor.trainer.data.InteractionReader;
import dev.sequor.trainer.data.Interactions;
import dev.sequor.trainer.data.LeaveOneOutSplit;
import dev.sequor.trainer.data.SyntheticData;
import dev.sequor.trainer.eval.EvalResult;
import dev.sequor.trainer.eval.Evaluator;
import dev.sequor.trainer.eval.MarkovChain;
import dev.sequor.trainer.eval.MostPopular;
import dev.sequor.trainer.eval.PackageScorer;
import dev.sequor.trainer.export.SasRecOnnxExporter;
import dev.sequor.trainer.export.TrainingCurves;
import dev.sequor.trainer.model.SasRecScorer;
import dev.sequor.trainer.registry.MlflowTracker;
import dev.sequor.trainer.registry.RecordedLedger;
import dev.sequor.trainer.train.EpochReport;
import dev.sequor.trainer.train.LossKind;
import dev.sequor.trainer.train.ProgressListener;
import dev.sequor.trainer.train.SasRecTrainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One training run end to end: data, split, baselines, training, test, package, registry. */
public final class TrainingJob {

    public static final String VERSION = "0.1.0";
    /** How long reading a feedback topic may take before the run fails (and the Job retries). */
    private static final java.time.Duration KAFKA_SNAPSHOT_TIMEOUT = java.time.Duration.ofMinutes(5);

    /** What a run produced. */
    public record Outcome(EvalResult test, EvalResult popular, EvalResult markov, int bestEpoch, int epochsRun,
            double secondsPerEpoch, double sequencesPerSecond, double totalSeconds, Path packageDir, String version) {
    }

    private final PrintStream out;
    private final Map<String, String> env;
    private final boolean terminal;

    public TrainingJob(PrintStream out, Map<String, String> env, boolean terminal) {
        this.out = out;
        this.env = env;
        this.terminal = terminal;
    }

    public Outcome run(TrainOptions requested) throws IOException {
        long start = System.nanoTime();
        TrainOptions o = requested;
        Interactions base = o.synthetic()
                ? SyntheticData.generate(SyntheticData.Settings.of(o.syntheticUsers(), o.syntheticItems(),
                        o.training().seed()))
                : InteractionReader.read(o.data(), o.format());
        Interactions data = base;
        String feedbackSource = "";
        FeedbackSnapshot snapshot = feedbackSnapshot(o);
        if (snapshot != null) {
            FeedbackData.Read feedback = FeedbackData.read(snapshot, o.feedbackEvents());
            data = FeedbackData.append(base, feedback);
            feedbackSource = " + feedback from " + snapshot.source() + " (" + feedback.endOffsets().size()
                    + " streams, " + feedback.records() + " records)";
            out.printf(Locale.ROOT, "feedback: %d events read, %d duplicates and %d of other types left out, %d actions "
                    + "of %d users added%n", feedback.records(), feedback.duplicates(), feedback.otherTypes(),
                    feedback.actions(), feedback.itemsByUser().size());
        }
        LeaveOneOutSplit split = LeaveOneOutSplit.of(data, o.shortUsers());
        out.printf(Locale.ROOT, "data: %s, %d users (%d evaluated), %d items, %d actions (fingerprint %s)%n",
                (o.synthetic() ? "synthetic" : o.data().toString()) + feedbackSource, data.users(), split.users(), split.items(), data.actions(),
                data.fingerprint().substring(0, 12));
        if (o.readEvents()) {
            if (!data.hasEvents()) {
                throw new DataException("--events: the data has no event types (a csv needs an 'event' column)");
            }
            o = o.withModel(o.model().withEventTypes(data.eventTypes().size()));
            out.printf(Locale.ROOT, "events: %s%n", String.join(", ", data.eventTypes()));
        }
        if (o.training().loss() == LossKind.AUTO) {
            o = o.withTraining(o.training().forCatalogue(split.items(), o.privacy() != null));
            out.printf(Locale.ROOT, "loss: %s (the default for %d items%s)%n", o.training().loss().label(), split.items(),
                    o.privacy() != null ? " under DP-SGD" : "");
        }
        Evaluator evaluator = new Evaluator(split, 10, Math.min(o.evalNegatives(), split.items() - 1),
                o.training().seed() + 1);
        DpSgdPlan privacy = null;
        PrivacyLedger ledger = null;
        if (o.privacy() != null) {
            try {
                privacy = o.privacy().plan(o.training().batchSize(), SasRecTrainer.trainableUsers(split),
                        o.training().epochs());
            } catch (IllegalArgumentException e) {
                throw new ImpossibleSettingsException("differential privacy: " + e.getMessage());
            }
            RecordedLedger recorded = new RecordedLedger(o.modelName(), o.registry(), o.mlflow(), env);
            ledger = o.privacy().alsoSpent(recorded.read()).admit(privacy);
            recorded.write(ledger);
            report(TrainingContract.PRIVACY_RUN_REPORT + privacy.run().format());
            String budget = o.privacy().budget() == null ? ""
                    : String.format(Locale.ROOT, " of the budget %.4g", o.privacy().budget());
            out.println("privacy: " + privacy + String.format(Locale.ROOT, "; %d runs on this data, epsilon %.4g in all%s",
                    ledger.runs().size(), ledger.epsilon(privacy.delta()), budget));
        }

        MlflowTracker mlflow = o.mlflow() != null ? new MlflowTracker(o.mlflow(), env) : null;
        boolean success = false;
        try {
            ProgressListener progress = new ProgressBar(out, o.training().epochs(), terminal);
            if (mlflow != null) {
                String runId = mlflow.startRun(o.experiment(), o.modelName() + "-" + Instant.now());
                out.println("mlflow: run " + runId + " in experiment '" + o.experiment() + "' at " + o.mlflow());
                mlflow.logParams(RunRecord.params(o, split, data));
                if (privacy != null) {
                    mlflow.logParams(RunRecord.privacyParams(privacy));
                    mlflow.setTag(TrainingContract.TAG_PRIVACY_LEDGER, ledger.format());
                }
                progress = logging(progress, mlflow);
            }
            SasRecTrainer.Result trained = new SasRecTrainer(device(o.device())).train(split, o.model(), o.training(),
                    evaluator, progress, privacy);
            try (var model = trained.model()) {
                EvalResult test = evaluator.test(new SasRecScorer(trained.block(), model.getNDManager()));
                EvalResult popular = evaluator.test(new MostPopular(split));
                EvalResult markov = evaluator.test(new MarkovChain(split));
                List<EpochReport> epochs = trained.epochs();
                double trainSeconds = epochs.stream().mapToDouble(EpochReport::seconds).sum();
                PackageMetadata metadata = RunRecord.metadata(o, split, data, test, popular, markov, trained.bestEpoch(),
                        privacy);
                if (o.compareWith() != null) {
                    Optional<EvalResult> compared = compared(o, mlflow, data, evaluator);
                    if (compared.isPresent()) {
                        String verdict = verdict(o, test, compared.get());
                        out.println(verdict);
                        if (mlflow != null) {
                            mlflow.logMetric("compared_ndcg10_full", compared.get().ndcgFull(), 0);
                            mlflow.logMetric("compared_hr10_full", compared.get().hitRateFull(), 0);
                        }
                        if (test.ndcgFull() < compared.get().ndcgFull() - o.maxRegression()) {
                            if (mlflow != null) {
                                logTest(mlflow, test, popular, markov);
                                mlflow.setTag("sequor.verdict", verdict);
                            }
                            success = true; // the run itself worked; its model is not registered
                            throw new WorseThanChampionException(verdict);
                        }
                    } else {
                        out.println("compare: alias '" + o.compareWith() + "' of " + o.modelName()
                                + " points at no version yet; nothing to compare with");
                    }
                }

                Path packageDir;
                String version = null;
                LocalRegistry registry = o.registry() != null ? new LocalRegistry(o.registry()) : null;
                if (o.output() != null) {
                    packageDir = o.output();
                } else if (registry != null) {
                    packageDir = registry.stagingDirectory(o.modelName());
                } else {
                    packageDir = Files.createTempDirectory("sequor-package");
                }
                List<Path> files = ModelPackage.write(packageDir,
                        SasRecOnnxExporter.export(trained.block(), VERSION).toByteArray(), metadata, data.items(),
                        TrainingCurves.html(epochs, o.modelName()));
                if (registry != null && o.output() == null) {
                    // The version appears complete or not at all.
                    version = registry.publish(o.modelName(), packageDir);
                    Path published = registry.directory(o.modelName(), version);
                    files = files.stream().map(f -> published.resolve(f.getFileName())).toList();
                    packageDir = published;
                    if (o.alias() != null) {
                        registry.setAlias(o.modelName(), o.alias(), version);
                    }
                }
                if (mlflow != null) {
                    logTest(mlflow, test, popular, markov);
                    mlflow.uploadArtifacts("model", files);
                    Map<String, String> tags = RunRecord.tags(data, test);
                    if (privacy != null) {
                        tags.put(TrainingContract.TAG_PRIVACY_EPSILON, Double.toString(privacy.spent().epsilon()));
                        tags.put(TrainingContract.TAG_PRIVACY_DELTA, Double.toString(privacy.delta()));
                        tags.put(TrainingContract.TAG_PRIVACY_LEDGER, ledger.format());
                    }
                    tags.putAll(o.tags());
                    version = mlflow.registerVersion(o.modelName(), "model", tags);
                    if (o.alias() != null) {
                        mlflow.setAlias(o.modelName(), o.alias(), version);
                    }
                }
                success = true;
                return new Outcome(test, popular, markov, trained.bestEpoch(), epochs.size(),
                        trainSeconds / epochs.size(), epochs.stream().mapToDouble(EpochReport::sequencesPerSecond)
                                .average().orElse(0), (System.nanoTime() - start) / 1e9, packageDir, version);
            }
        } finally {
            if (mlflow != null) {
                mlflow.finish(success);
                mlflow.close();
            }
        }
    }

    /** The compared version (e.g. the champion) scored on this run's held-out data, if the alias is set. */
    private static Optional<EvalResult> compared(TrainOptions o, MlflowTracker mlflow, Interactions data,
            Evaluator evaluator) throws IOException {
        Optional<Path> dir;
        if (mlflow != null) {
            dir = mlflow.packageOf(o.modelName(), o.compareWith(), Files.createTempDirectory("sequor-compared"));
        } else {
            LocalRegistry registry = new LocalRegistry(o.registry());
            try {
                dir = Optional.of(registry.directory(o.modelName(), registry.versionOf(o.modelName(), o.compareWith())));
            } catch (RegistryException e) {
                if (e.kind() != RegistryException.Kind.ALIAS_NOT_FOUND
                        && e.kind() != RegistryException.Kind.REGISTERED_MODEL_NOT_FOUND) {
                    throw e;
                }
                dir = Optional.empty();
            }
        }
        if (dir.isEmpty()) {
            return Optional.empty();
        }
        try (PackageScorer scorer = new PackageScorer(dir.get(), data.items())) {
            return Optional.of(evaluator.test(scorer));
        }
    }

    private static String verdict(TrainOptions o, EvalResult test, EvalResult compared) {
        boolean worse = test.ndcgFull() < compared.ndcgFull() - o.maxRegression();
        return String.format(Locale.ROOT, "compare: new NDCG@10 %.4f vs %s %.4f on the same held-out data "
                + "(allowed regression %.4f): %s", test.ndcgFull(), o.compareWith(), compared.ndcgFull(),
                o.maxRegression(), worse ? "worse, not registered" : "kept");
    }

    private static Device device(String name) {
        if (name.equals("gpu")) {
            if (ai.djl.engine.Engine.getInstance().getGpuCount() == 0) {
                throw new UsageException("--device gpu, but the PyTorch engine sees no GPU");
            }
            return Device.gpu();
        }
        return Device.cpu();
    }

    private static ProgressListener logging(ProgressListener inner, MlflowTracker mlflow) {
        return new ProgressListener() {
            @Override
            public void batch(int epoch, int batch, int batches, double runningLoss) {
                inner.batch(epoch, batch, batches, runningLoss);
            }

            @Override
            public void epoch(EpochReport r) {
                inner.epoch(r);
                mlflow.logMetric("train_loss", r.loss(), r.epoch());
                mlflow.logMetric("epoch_seconds", r.seconds(), r.epoch());
                if (r.validation() != null) {
                    mlflow.logMetric("valid_hr10_full", r.validation().hitRateFull(), r.epoch());
                    mlflow.logMetric("valid_ndcg10_full", r.validation().ndcgFull(), r.epoch());
                    mlflow.logMetric("valid_hr10_sampled", r.validation().hitRateSampled(), r.epoch());
                    mlflow.logMetric("valid_ndcg10_sampled", r.validation().ndcgSampled(), r.epoch());
                }
            }
        };
    }

    private static void logTest(MlflowTracker mlflow, EvalResult test, EvalResult popular, EvalResult markov) {
        Map<String, EvalResult> results = Map.of("test", test, "test_popular", popular, "test_markov", markov);
        results.forEach((prefix, r) -> {
            mlflow.logMetric(prefix + "_hr10_full", r.hitRateFull(), 0);
            mlflow.logMetric(prefix + "_ndcg10_full", r.ndcgFull(), 0);
            mlflow.logMetric(prefix + "_hr10_sampled", r.hitRateSampled(), 0);
            mlflow.logMetric(prefix + "_ndcg10_sampled", r.ndcgSampled(), 0);
        });
    }

    /** The feedback sink as it is now (read once, before training), or null when none was given. */
    private static FeedbackSnapshot feedbackSnapshot(TrainOptions o) {
        if (o.feedbackLog() != null) {
            return FeedbackSnapshot.ofLogs(o.feedbackLog());
        }
        if (o.feedbackKafka() != null) {
            return KafkaFeedbackReader.snapshot(o.feedbackKafka(), o.feedbackTopic(), Map.of(), KAFKA_SNAPSHOT_TIMEOUT);
        }
        return null;
    }

    /** A line for the operator, through the pod's termination message (when the Job says where). */
    private void report(String line) throws IOException {
        String file = env.get(TrainingContract.REPORT_ENV);
        if (file != null && !file.isBlank()) {
            Files.writeString(Path.of(file), line + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        }
    }
}
