package dev.sequor.modelpackage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A model package on local disk: the ONNX graph, its metadata and the item vocabulary.
 * {@link #load} checks everything that can be checked without running the graph.
 */
public record ModelPackage(Path directory, PackageMetadata metadata, ItemVocabulary vocabulary) {

    public Path modelFile() {
        return directory.resolve(PackageLayout.MODEL_FILE);
    }

    /** Length of the history the graph reads. */
    public int maxLength() {
        return metadata.maxSequenceLength();
    }

    /** Items the model scores (indices 1..itemCount). */
    public int itemCount() {
        return metadata.itemCount();
    }

    public static ModelPackage load(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new InvalidPackageException("model package directory " + directory + " does not exist");
        }
        for (String file : PackageLayout.SERVING_FILES) {
            if (!Files.isRegularFile(directory.resolve(file))) {
                throw new InvalidPackageException("model package " + directory + " has no " + file);
            }
        }
        PackageMetadata metadata = PackageMetadata.read(directory.resolve(PackageLayout.METADATA_FILE));
        ItemVocabulary vocabulary = ItemVocabulary.load(directory.resolve(PackageLayout.ITEMS_FILE));
        if (vocabulary.size() != metadata.itemCount()) {
            throw new InvalidPackageException(PackageLayout.ITEMS_FILE + " has " + vocabulary.size()
                    + " items but " + PackageLayout.METADATA_FILE + " says itemCount " + metadata.itemCount());
        }
        return new ModelPackage(directory, metadata, vocabulary);
    }

    /**
     * Writes a package into {@code directory} (created if missing) and returns the files written.
     * The metadata goes last: a directory without it is never taken for a package.
     */
    public static List<Path> write(Path directory, byte[] onnxModel, PackageMetadata metadata,
            ItemVocabulary vocabulary, String trainingCurvesHtml) throws IOException {
        if (metadata.itemCount() != vocabulary.size()) {
            throw new IllegalArgumentException("metadata itemCount " + metadata.itemCount() + " but "
                    + vocabulary.size() + " items in the vocabulary");
        }
        Files.createDirectories(directory);
        List<Path> files = new ArrayList<>();
        files.add(Files.write(directory.resolve(PackageLayout.MODEL_FILE), onnxModel));
        Path items = directory.resolve(PackageLayout.ITEMS_FILE);
        vocabulary.save(items);
        files.add(items);
        if (trainingCurvesHtml != null) {
            files.add(Files.writeString(directory.resolve(PackageLayout.CURVES_FILE), trainingCurvesHtml));
        }
        Path meta = directory.resolve(PackageLayout.METADATA_FILE);
        metadata.write(meta);
        files.add(meta);
        return files;
    }
}
