package dev.sequor.api;

import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.testing.Repo;
import io.fabric8.crdv2.generator.CRDGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Generates the CRD YAML from the Java types with Fabric8's CRD generator. */
public final class CrdGeneration {

    public static final String CRD_FILE = RecommenderModel.CRD_NAME + "-v1.yml";

    private CrdGeneration() {
    }

    /** Generates into a fresh temporary directory and returns the YAML text. */
    public static String generate() {
        try {
            Path dir = Files.createTempDirectory("sequor-crd");
            new CRDGenerator()
                    .customResourceClasses(RecommenderModel.class)
                    .forCRDVersions("v1")
                    .inOutputDir(dir.toFile())
                    .generate();
            return Files.readString(dir.resolve(CRD_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The committed CRD, in {@code crds/generated/}. */
    public static Path committedCrd() {
        return Repo.root().resolve("crds").resolve("generated").resolve(CRD_FILE);
    }
}
