package dev.sequor.modelpackage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequor.modelpackage.RegistryException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRegistryTest {

    @TempDir
    Path root;

    @Test
    void concurrentPublishersGetDistinctVersionsAndOnlyCompletePackagesAppear() throws Exception {
        LocalRegistry registry = new LocalRegistry(root);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<String>> published = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            int n = i;
            published.add(pool.submit((Callable<String>) () -> {
                Path staged = registry.stagingDirectory("movies");
                Files.writeString(staged.resolve(PackageLayout.METADATA_FILE), "{\"n\": " + n + "}");
                return registry.publish("movies", staged);
            }));
        }
        List<String> versions = new ArrayList<>();
        for (Future<String> f : published) {
            versions.add(f.get());
        }
        pool.shutdown();
        assertThat(versions).doesNotHaveDuplicates().hasSize(16);
        assertThat(versions.stream().mapToInt(Integer::parseInt).max()).hasValue(16);
        for (String v : versions) {
            assertThat(registry.directory("movies", v).resolve(PackageLayout.METADATA_FILE)).exists();
        }
    }

    @Test
    void aliasesPointAtVersionsAndMissingThingsAreToldApart() throws Exception {
        LocalRegistry registry = new LocalRegistry(root);
        String v1 = registry.publish("movies", registry.stagingDirectory("movies"));
        registry.setAlias("movies", "champion", v1);
        assertThat(registry.versionOf("movies", "champion")).isEqualTo("1");
        assertThat(registry.version("movies", "1").source()).isEqualTo(registry.directory("movies", "1").toUri().toString());

        assertThatThrownBy(() -> registry.versionOf("books", "champion")).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.REGISTERED_MODEL_NOT_FOUND));
        assertThatThrownBy(() -> registry.versionOf("movies", "challenger")).isInstanceOfSatisfying(
                RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.ALIAS_NOT_FOUND));
        assertThatThrownBy(() -> registry.version("movies", "7")).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.VERSION_NOT_FOUND));
        Files.writeString(root.resolve("movies/aliases/broken"), "latest\n");
        assertThatThrownBy(() -> registry.versionOf("movies", "broken")).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.getMessage()).contains("should hold a version number"));
    }

    @Test
    void theModelKeepsTagsOfItsOwn() throws Exception {
        LocalRegistry registry = new LocalRegistry(root);
        assertThat(registry.modelTag("movies", "sequor.privacy.ledger")).isEmpty();
        registry.setModelTag("movies", "sequor.privacy.ledger", "0.01:1.2:300");
        registry.setModelTag("movies", "sequor.privacy.ledger", "0.01:1.2:300;0.01:1.2:300");
        assertThat(registry.modelTag("movies", "sequor.privacy.ledger")).contains("0.01:1.2:300;0.01:1.2:300");
        assertThatThrownBy(() -> registry.setModelTag("movies", "../aliases/champion", "1"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
