package dev.sequor.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequor.api.v1alpha1.Reason;
import dev.sequor.testing.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reasons are promised stable for alerts: each one is explained in docs/operations.md, once. */
class ReasonDocumentationTest {

    @Test
    void everyReasonIsDocumentedAndDistinct() throws IOException {
        String docs = Files.readString(Repo.root().resolve("docs/operations.md"));
        assertThat(Reason.values()).allSatisfy(r -> assertThat(docs).as(r.name()).contains("`" + r.value() + "`"));
        Set<String> values = new HashSet<>();
        Arrays.stream(Reason.values()).forEach(r -> assertThat(values.add(r.value())).as(r.value()).isTrue());
    }
}
