package dev.sequor.runtime.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model package on local disk (the trainer's format): model.onnx, metadata.json and the item
 * vocabulary items.tsv. {@link #load} checks what can be checked without running the graph.
 */
public record ModelPackage(Path directory, JsonNode metadata, int maxLength, int itemCount, String[] externalIds,
        Map<String, Integer> indexOf) {

    public static final int SUPPORTED_FORMAT = 1;

    public Path modelFile() {
        return directory.resolve("model.onnx");
    }

    public static ModelPackage load(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new InvalidPackageException("model package directory " + directory + " does not exist");
        }
        for (String file : List.of("model.onnx", "metadata.json", "items.tsv")) {
            if (!Files.isRegularFile(directory.resolve(file))) {
                throw new InvalidPackageException("model package " + directory + " has no " + file);
            }
        }
        JsonNode metadata;
        try {
            metadata = new ObjectMapper().readTree(directory.resolve("metadata.json").toFile());
        } catch (IOException e) {
            throw new InvalidPackageException("metadata.json of " + directory + " is not valid JSON: " + e.getMessage(), e);
        }
        int format = metadata.path("formatVersion").asInt(-1);
        if (format != SUPPORTED_FORMAT) {
            throw new InvalidPackageException("metadata.json formatVersion is " + metadata.path("formatVersion")
                    + "; this runtime reads formatVersion " + SUPPORTED_FORMAT);
        }
        if (!"sasrec".equals(metadata.path("architecture").asText())) {
            throw new InvalidPackageException("architecture '" + metadata.path("architecture").asText()
                    + "' is not served by this runtime (sasrec)");
        }
        int maxLength = metadata.path("maxSequenceLength").asInt(0);
        int itemCount = metadata.path("itemCount").asInt(0);
        if (maxLength <= 0 || itemCount <= 0) {
            throw new InvalidPackageException("metadata.json needs positive maxSequenceLength and itemCount");
        }
        String[] ids = new String[itemCount + 1];
        Map<String, Integer> indexOf = new HashMap<>();
        try {
            List<String> lines = Files.readAllLines(directory.resolve("items.tsv"), StandardCharsets.UTF_8);
            int n = 0;
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                n++;
                String[] parts = line.split("\t", 2);
                if (parts.length != 2 || !parts[0].equals(Integer.toString(n)) || n > itemCount) {
                    throw new InvalidPackageException("items.tsv line " + n + " should be '" + n
                            + "<TAB>item id' and there should be " + itemCount + " lines (metadata itemCount)");
                }
                ids[n] = parts[1];
                indexOf.put(parts[1], n);
            }
            if (n != itemCount) {
                throw new InvalidPackageException("items.tsv has " + n + " items but metadata.json says itemCount "
                        + itemCount);
            }
        } catch (IOException e) {
            throw new InvalidPackageException("cannot read items.tsv: " + e.getMessage(), e);
        }
        return new ModelPackage(directory, metadata, maxLength, itemCount, ids, indexOf);
    }
}
