package dev.sequor.trainer.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The input formats the trainer reads. */
public enum DatasetFormat {
    /** "user item" per line, each user's lines in time order (the SASRec paper's files). */
    SASREC,
    /** MovieLens u.data: "user TAB item TAB rating TAB timestamp", sorted here by time. */
    MOVIELENS,
    /** A CSV or TSV with a header naming user, item, timestamp and optionally event. */
    CSV;

    public static DatasetFormat parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DataException("unknown data format '" + name + "'; use one of "
                    + Arrays.stream(values()).map(f -> f.name().toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining(", ")));
        }
    }
}
