package dev.sequor.trainer.data;

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
 * External item ids and the model's dense indices. Index 0 is padding; items are 1..size().
 * Saved as items.tsv: one line per index from 1, "index TAB external id".
 */
public final class ItemVocabulary {

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

    public static ItemVocabulary load(Path file) throws IOException {
        ItemVocabulary vocabulary = new ItemVocabulary();
        int expected = 1;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split("\t", 2);
            if (parts.length != 2 || Integer.parseInt(parts[0]) != expected) {
                throw new DataException(file + ": line " + expected + " should be '" + expected + "<TAB>item id'");
            }
            vocabulary.add(parts[1]);
            expected++;
        }
        return vocabulary;
    }
}
