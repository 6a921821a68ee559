package dev.sequor.runtime;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Real model packages for the runtime's tests: the Sequor trainer is run as its own process (its
 * command line, as a training Job runs it) on synthetic data, twice, giving versions 1 and 2.
 */
public class TrainedModels implements QuarkusTestResourceLifecycleManager {

    public static final String MODEL = "synthetic";
    private static Path root;

    public static synchronized Path root() {
        if (root == null) {
            try {
                root = Files.createTempDirectory("sequor-runtime-test");
                train(root.resolve("registry"), 7);
                train(root.resolve("registry"), 8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return root;
    }

    public static Path version(int n) {
        return root().resolve("registry/synthetic-sasrec/versions/" + n);
    }

    @Override
    public Map<String, String> start() {
        return Map.of(
                "sequor.model.uri", version(1).toUri().toString(),
                "sequor.model.version", "1",
                "sequor.model.name", MODEL,
                "sequor.admin.enabled", "true",
                "sequor.batch.max-size", "16",
                "sequor.batch.max-delay", "2ms",
                "sequor.topk.max", "50");
    }

    @Override
    public void stop() {
    }

    private static void train(Path registry, long seed) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.sequor.trainer.cli.Train",
                "--synthetic", "--users", "400", "--items", "100", "--registry", registry.toString(),
                "--epochs", "6", "--eval-every", "3", "--hidden", "16", "--heads", "2", "--max-length", "12",
                "--dropout", "0.2", "--lr", "0.005", "--loss", "ce", "--seed", Long.toString(seed), "--threads", "1"));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("trainer failed:\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
