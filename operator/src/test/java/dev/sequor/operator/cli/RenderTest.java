package dev.sequor.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderTest {

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void rendersTheObjectsOfARegistryModelResolvedInTheLocalRegistry() throws IOException {
        Files.createDirectories(dir.resolve("registry/movies-sasrec/versions/4"));
        Files.createDirectories(dir.resolve("registry/movies-sasrec/aliases"));
        Files.writeString(dir.resolve("registry/movies-sasrec/aliases/champion"), "4");
        Path file = write("movies.yaml", """
                apiVersion: v1
                kind: Namespace
                metadata: {name: recs}
                ---
                apiVersion: sequor.dev/v1alpha1
                kind: RecommenderModel
                metadata: {name: movies, namespace: recs}
                spec:
                  model: {registry: {name: movies-sasrec, alias: champion}}
                  serving: {autoscaling: {minReplicas: 1, maxReplicas: 3}}
                """);

        int code = render("--registry", dir.resolve("registry").toString(), file.toString());

        assertThat(code).isZero();
        assertThat(out.toString()).contains("# movies-sasrec version 4 (alias champion)")
                .contains("kind: \"Deployment\"").contains("kind: \"Service\"")
                .contains("kind: \"PodDisruptionBudget\"").contains("kind: \"HorizontalPodAutoscaler\"")
                .contains("value: \"4\"");
        assertThat(err.toString()).contains("1 model(s) rendered, 0 failed");
    }

    @Test
    void unresolvableModelFailsWithTheConditionReason() throws IOException {
        Path file = write("m.yaml", """
                apiVersion: sequor.dev/v1alpha1
                kind: RecommenderModel
                metadata: {name: movies}
                spec: {model: {registry: {name: nobody, version: '1'}}}
                """);
        assertThat(render("--registry", dir.toString(), file.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("default/movies: ModelResolved=False, reason RegisteredModelNotFound");
    }

    @Test
    void badArgumentsAndFilesGetClearMessages() {
        assertThat(render()).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter: 'FILE'");
        assertThat(render("--frobnicate", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--frobnicate'");
        assertThat(render("--registry")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter for option '--registry'");
        assertThat(render(dir.resolve("missing.yaml").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("cannot read").contains("missing.yaml");
    }

    private int render(String... args) {
        return Render.run(new Render(new PrintStream(out, true), new PrintStream(err, true)), args);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
