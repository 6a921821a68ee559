package dev.sequor.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Fails when the committed CRD YAML no longer matches the Java types. */
class CrdDriftTest {

    private static final String REGENERATE = "sequor.crd.regenerate";

    @Test
    void committedCrdMatchesJavaTypes() throws IOException {
        String generated = CrdGeneration.generate();
        Path committed = CrdGeneration.committedCrd();
        if (Boolean.getBoolean(REGENERATE)) {
            Files.writeString(committed, generated);
        }
        assertThat(committed).exists();
        assertThat(Files.readString(committed))
                .as("crds/generated is stale; regenerate with: ./mvnw -pl crds test -D%s=true", REGENERATE)
                .isEqualTo(generated);
    }
}
