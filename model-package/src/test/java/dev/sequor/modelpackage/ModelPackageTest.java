package dev.sequor.modelpackage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequor.testing.GoldenPackages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPackageTest {

    @TempDir
    Path dir;

    @Test
    void theGoldenPackageLoadsWithTypedMetadataAndItsVocabulary() {
        ModelPackage pkg = ModelPackage.load(GoldenPackages.version(1));
        assertThat(pkg.metadata().formatVersion()).isEqualTo(PackageMetadata.FORMAT_VERSION);
        assertThat(pkg.metadata().architecture()).isEqualTo("sasrec");
        assertThat(pkg.maxLength()).isEqualTo(12);
        assertThat(pkg.itemCount()).isEqualTo(100).isEqualTo(pkg.vocabulary().size());
        assertThat(pkg.metadata().trainingData().fingerprint()).isNotBlank();
        assertThat(pkg.metadata().privacy()).isEqualTo(PackageMetadata.Privacy.NONE);
        assertThat(pkg.vocabulary().index(pkg.vocabulary().externalId(7))).isEqualTo(7);
        assertThat(pkg.metadata().inputs()).containsKeys(OnnxSignature.INPUT_HISTORY, OnnxSignature.INPUT_EXCLUDE,
                OnnxSignature.INPUT_K);
    }

    @Test
    void aVersionOnePackageIsMigratedOnRead() throws IOException {
        Path pkg = copyOfGolden();
        // What the first trainer wrote: format 1, epsilon as the string "none".
        String v1 = Files.readString(pkg.resolve(PackageLayout.METADATA_FILE))
                .replace("\"formatVersion\" : 2", "\"formatVersion\" : 1")
                .replace("\"differentialPrivacy\" : false", "\"differentialPrivacy\" : false, \"epsilon\" : \"none\"");
        Files.writeString(pkg.resolve(PackageLayout.METADATA_FILE), v1);
        PackageMetadata read = ModelPackage.load(pkg).metadata();
        assertThat(read.formatVersion()).isEqualTo(2);
        assertThat(read.privacy().epsilon()).isNull();
    }

    @Test
    void aNewerFormatIsRefusedWithBothVersionsNamed() throws IOException {
        Path pkg = copyOfGolden();
        Files.writeString(pkg.resolve(PackageLayout.METADATA_FILE), Files.readString(pkg.resolve(
                PackageLayout.METADATA_FILE)).replace("\"formatVersion\" : 2", "\"formatVersion\" : 3"));
        assertThatThrownBy(() -> ModelPackage.load(pkg)).isInstanceOf(InvalidPackageException.class)
                .hasMessageContaining("formatVersion 3, written by a newer trainer")
                .hasMessageContaining("reads formatVersion 2 and older");
    }

    @Test
    void brokenPackagesSayWhatIsWrong() throws IOException {
        Path pkg = copyOfGolden();
        Files.writeString(pkg.resolve(PackageLayout.ITEMS_FILE), "1\titem-1\n");
        assertThatThrownBy(() -> ModelPackage.load(pkg))
                .hasMessageContaining("items.tsv has 1 items but metadata.json says itemCount 100");
        Files.writeString(pkg.resolve(PackageLayout.METADATA_FILE), "[1, 2]");
        assertThatThrownBy(() -> ModelPackage.load(pkg)).hasMessageContaining("should be a JSON object");
        Files.delete(pkg.resolve(PackageLayout.MODEL_FILE));
        assertThatThrownBy(() -> ModelPackage.load(pkg)).hasMessageContaining("has no model.onnx");
        assertThatThrownBy(() -> ModelPackage.load(dir.resolve("nothing"))).hasMessageContaining("does not exist");
    }

    @Test
    void whatIsWrittenIsWhatIsRead() throws IOException {
        ModelPackage golden = ModelPackage.load(GoldenPackages.version(2));
        Path out = dir.resolve("written");
        ModelPackage.write(out, Files.readAllBytes(golden.modelFile()), golden.metadata(), golden.vocabulary(), "<p>");
        ModelPackage read = ModelPackage.load(out);
        assertThat(read.metadata()).isEqualTo(golden.metadata());
        assertThat(read.vocabulary().externalId(100)).isEqualTo(golden.vocabulary().externalId(100));
        assertThat(out.resolve(PackageLayout.CURVES_FILE)).hasContent("<p>");
    }

    @Test
    void vocabularyFilesAreStrict() throws IOException {
        ItemVocabulary v = new ItemVocabulary();
        assertThat(v.add("b")).isEqualTo(1);
        assertThat(v.add("a")).isEqualTo(2);
        assertThat(v.add("b")).isEqualTo(1);
        Path file = dir.resolve("items.tsv");
        v.save(file);
        assertThat(file).hasContent("1\tb\n2\ta");
        assertThat(ItemVocabulary.load(file).index("a")).isEqualTo(2);
        Files.writeString(file, "1\tb\n3\ta\n");
        assertThatThrownBy(() -> ItemVocabulary.load(file)).hasMessageContaining("line 2 should be '2<TAB>item id'");
        Files.writeString(file, "1\tb\n2\tb\n");
        assertThatThrownBy(() -> ItemVocabulary.load(file)).hasMessageContaining("lists item 'b' twice");
    }

    private Path copyOfGolden() throws IOException {
        Path pkg = Files.createDirectories(dir.resolve("pkg"));
        for (String f : PackageLayout.SERVING_FILES) {
            Files.copy(GoldenPackages.version(1).resolve(f), pkg.resolve(f));
        }
        return pkg;
    }
}
