package dev.sequor.api;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the crds module directory from tests in any module. */
public final class CrdsModule {

    private CrdsModule() {
    }

    public static Path dir() {
        String root = System.getProperty("sequorRepoRoot");
        Path start = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("crds").resolve("generated"))) {
                return p.resolve("crds");
            }
        }
        throw new IllegalStateException("cannot find crds/generated above " + start);
    }
}
