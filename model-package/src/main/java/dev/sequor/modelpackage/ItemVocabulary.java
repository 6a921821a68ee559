package dev.sequor.modelpackage;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * External item ids and the model's dense indices. Index {@value #PADDING} is padding; items are
 * 1..size(). Saved as {@value PackageLayout#ITEMS_FILE}: one line per index from 1, "index TAB id".
 */
public final class ItemVocabulary {

    public static final int PADDING = 0;

    private final Map<String, Integer> indexOf = new HashMap<>();
    private final List<String> externalIds = new ArrayList<>(List.of("<pad>"));

    /** Returns the item's index, adding it when new. */
    public int add(String externalId) {
        Integer index = indexOf.get(externalId);
        if (index != null) {
            return index;
        }
        externalIds.add(externalId);
        indexOf.put(externalId, externalIds.size() - 1);
        return externalIds.size() - 1;
    }

    public int size() {
        return externalIds.size() - 1;
    }

    public String externalId(int index) {
        return externalIds.get(index);
    }

    /** The item's index, or null when the vocabulary does not know it. */
    public Integer index(String externalId) {
        return indexOf.get(externalId);
    }

    public void save(Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 1; i < externalIds.size(); i++) {
                w.write(i + "\t" + externalIds.get(i) + "\n");
            }
        }
    }

    /** Reads {@code file}; every line must be "n TAB id" with n counting from 1, and ids distinct. */
    public static ItemVocabulary load(Path file) {
        ItemVocabulary vocabulary = new ItemVocabulary();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidPackageException("cannot read " + file + ": " + e.getMessage(), e);
        }
        int expected = 1;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split("\t", 2);
            if (parts.length != 2 || !parts[0].equals(Integer.toString(expected)) || parts[1].isEmpty()) {
                throw new InvalidPackageException(file.getFileName() + " line " + expected + " should be '" + expected
                        + "<TAB>item id', not '" + line + "'");
            }
            if (vocabulary.add(parts[1]) != expected) {
                throw new InvalidPackageException(file.getFileName() + " lists item '" + parts[1] + "' twice");
            }
            expected++;
        }
        return vocabulary;
    }
}
