package dev.sequor.operator.testing;

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
 * and points {@code --alias} at it, as the trainer does.
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
