package dev.sequor.operator.testing;

import dev.sequor.analysis.privacy.DpSgdRun;
import dev.sequor.analysis.privacy.NoiseCalibration;
import dev.sequor.analysis.privacy.PrivacyLedger;
import dev.sequor.contract.TrainingContract;
import dev.sequor.modelpackage.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The trainer's stand-in for the operator's tests (the real trainer runs in the e2e tests): it
 * answers a Job's command line as the trainer would, without training. {@code --stand-in-exit N}
 * picks the exit code; with 0 it registers a new version (an empty package) in the local registry
 * and points {@code --alias} at it, as the trainer does. With {@code --dp-epsilon} it plans a DP-SGD
 * run as the trainer would for 10,000 users in batches of 128 ({@code --epochs}, default 10),
 * refuses it with exit 4 when the runs spent ({@code --privacy-spent} and the registry's ledger tag)
 * and it exceed {@code --privacy-budget}, records the ledger with it in the registry and reports it
 * in the termination message file.
 */
public final class StandInTrainer {

    private StandInTrainer() {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        System.out.println("stand-in trainer: " + String.join(" ", a));
        int exit = Integer.parseInt(value(a, "--stand-in-exit", "0"));
        if (!Files.isRegularFile(Path.of(value(a, "--data", "")))) {
            System.err.println("train: no such file: " + value(a, "--data", ""));
            System.exit(1);
        }
        if (a.contains("--dp-epsilon")) {
            long users = 10_000;
            long steps = Long.parseLong(value(a, "--epochs", "10")) * Math.round(users / 128.0);
            double delta = Double.parseDouble(value(a, "--dp-delta", "1e-6"));
            double q = 128.0 / users;
            DpSgdRun run = new DpSgdRun(q, NoiseCalibration.noiseMultiplier(
                    Double.parseDouble(value(a, "--dp-epsilon", "")), delta, q, steps), steps);
            LocalRegistry registry = new LocalRegistry(Path.of(value(a, "--registry", "")));
            String model = value(a, "--model-name", "");
            PrivacyLedger spent = PrivacyLedger.reconcile(PrivacyLedger.parse(value(a, "--privacy-spent", "")),
                    PrivacyLedger.parse(registry.modelTag(model, TrainingContract.TAG_PRIVACY_LEDGER).orElse("")));
            if (a.contains("--privacy-budget")) {
                PrivacyLedger.Admission admission = spent.admit(run, Double.parseDouble(value(a, "--privacy-budget", "")),
                        delta);
                if (!admission.admitted()) {
                    System.err.println("train: not trained: " + admission.describe());
                    System.exit(TrainingContract.EXIT_OVER_BUDGET);
                }
            }
            registry.setModelTag(model, TrainingContract.TAG_PRIVACY_LEDGER, spent.with(run).format());
            Files.writeString(Path.of(System.getenv(TrainingContract.REPORT_ENV)),
                    TrainingContract.PRIVACY_RUN_REPORT + run.format() + "\n");
        }
        if (exit == 0) {
            LocalRegistry registry = new LocalRegistry(Path.of(value(a, "--registry", "")));
            String model = value(a, "--model-name", "");
            Path staged = registry.stagingDirectory(model);
            Files.writeString(staged.resolve("args.txt"), String.join("\n", a));
            String version = registry.publish(model, staged);
            registry.setAlias(model, value(a, "--alias", ""), version);
            System.out.println("registered version " + version);
        }
        System.exit(exit);
    }

    private static String value(List<String> args, String option, String fallback) {
        int i = args.indexOf(option);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : fallback;
    }
}
