package dev.sequor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Files of the repository, and its scripts, as tests reach them. */
public final class Repo {

    private Repo() {
    }

    public static Path root() {
        String root = System.getProperty("sequorRepoRoot");
        Path start = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("manifests")) && Files.isDirectory(p.resolve("scripts"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root above " + start);
    }

    /** Runs a repository script and returns its standard output; fails with its error output. */
    public static String runScript(String script, String... args) {
        try {
            List<String> command = new java.util.ArrayList<>(List.of("bash", root().resolve(script).toString()));
            command.addAll(List.of(args));
            Path err = Files.createTempFile("sequor-script", ".err");
            Process p = new ProcessBuilder(command).directory(root().toFile())
                    .redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(script + " " + String.join(" ", args) + " failed:\n"
                        + Files.readString(err));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
