package dev.sequor.trainer.data;

import dev.sequor.modelpackage.ItemVocabulary;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads interaction files into per-user time-ordered sequences, failing fast with line numbers. */
public final class InteractionReader {

    /** An action with its position in the file, so equal timestamps keep file order. */
    private record Event(String item, long time, long line, String type) {
    }

    private InteractionReader() {
    }

    public static Interactions read(Path file, DatasetFormat format) {
        if (!Files.isRegularFile(file)) {
            throw new DataException("data file not found: " + file);
        }
        Map<String, List<Event>> byUser = new LinkedHashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            switch (format) {
                case SASREC -> readSasRec(reader, file, byUser);
                case MOVIELENS -> readMovieLens(reader, file, byUser);
                case CSV -> readCsv(reader, file, byUser);
            }
        } catch (NoSuchFileException e) {
            throw new DataException("data file not found: " + file, e);
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (byUser.isEmpty()) {
            throw new DataException(file + " holds no interactions");
        }
        ItemVocabulary items = new ItemVocabulary();
        List<String> users = new ArrayList<>();
        List<int[]> sequences = new ArrayList<>();
        List<long[]> times = new ArrayList<>();
        List<int[]> types = new ArrayList<>();
        List<String> typeNames = new ArrayList<>();
        for (Map.Entry<String, List<Event>> e : byUser.entrySet()) {
            List<Event> events = e.getValue();
            events.sort(Comparator.comparingLong(Event::time).thenComparingLong(Event::line));
            users.add(e.getKey());
            sequences.add(events.stream().mapToInt(ev -> items.add(ev.item())).toArray());
            times.add(events.stream().mapToLong(Event::time).toArray());
            types.add(events.stream().mapToInt(ev -> typeIndex(typeNames, ev.type())).toArray());
        }
        // The SASRec format's "time" is the line number: order only.
        return new Interactions(users, sequences, items, format == DatasetFormat.SASREC ? List.of() : times,
                typeNames.isEmpty() ? List.of() : types, List.copyOf(typeNames));
    }

    private static int typeIndex(List<String> names, String type) {
        if (type == null) {
            return 0;
        }
        int i = names.indexOf(type);
        if (i < 0) {
            names.add(type);
            return names.size();
        }
        return i + 1;
    }

    private static String eventType(Path file, long n, String line, String value) {
        String type = value.trim().toLowerCase(Locale.ROOT);
        if (type.isEmpty()) {
            throw malformed(file, n, line, "empty event type");
        }
        return type;
    }

    private static void readSasRec(BufferedReader reader, Path file, Map<String, List<Event>> byUser)
            throws IOException {
        String line;
        long n = 0;
        while ((line = reader.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.trim().split("\\s+");
            if (parts.length != 2) {
                throw malformed(file, n, line, "expected 'user item'");
            }
            byUser.computeIfAbsent(parts[0], u -> new ArrayList<>()).add(new Event(parts[1], n, n, null));
        }
    }

    private static void readMovieLens(BufferedReader reader, Path file, Map<String, List<Event>> byUser)
            throws IOException {
        String line;
        long n = 0;
        while ((line = reader.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split("\t");
            if (parts.length != 4) {
                throw malformed(file, n, line, "expected 'user<TAB>item<TAB>rating<TAB>timestamp'");
            }
            // MovieLens has ratings, not event types; a rating of 4 or 5 is read as a second type.
            byUser.computeIfAbsent(parts[0], u -> new ArrayList<>())
                    .add(new Event(parts[1], parseTime(file, n, line, parts[3]), n,
                            parseRating(file, n, line, parts[2]) >= 4 ? "liked" : "rated"));
        }
    }

    private static void readCsv(BufferedReader reader, Path file, Map<String, List<Event>> byUser)
            throws IOException {
        String header = reader.readLine();
        if (header == null) {
            throw new DataException(file + " is empty: expected a header 'user,item,timestamp[,event]'");
        }
        String separator = header.contains("\t") ? "\t" : ",";
        List<String> columns = List.of(header.trim().toLowerCase(Locale.ROOT).split(separator));
        int user = columns.indexOf("user");
        int item = columns.indexOf("item");
        int time = columns.indexOf("timestamp");
        int event = columns.indexOf("event");
        if (user < 0 || item < 0 || time < 0) {
            throw new DataException(file + ": line 1: header must name user, item and timestamp columns, got '"
                    + header + "'");
        }
        String line;
        long n = 1;
        while ((line = reader.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split(separator, -1);
            if (parts.length != columns.size()) {
                throw malformed(file, n, line, "expected " + columns.size() + " columns like the header");
            }
            if (parts[user].isBlank() || parts[item].isBlank()) {
                throw malformed(file, n, line, "empty user or item");
            }
            byUser.computeIfAbsent(parts[user].trim(), u -> new ArrayList<>())
                    .add(new Event(parts[item].trim(), parseTime(file, n, line, parts[time].trim()), n,
                            event < 0 ? null : eventType(file, n, line, parts[event])));
        }
    }

    private static int parseRating(Path file, long n, String line, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw malformed(file, n, line, "rating '" + value + "' is not an integer");
        }
    }

    private static long parseTime(Path file, long n, String line, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw malformed(file, n, line, "timestamp '" + value + "' is not an integer");
        }
    }

    private static DataException malformed(Path file, long lineNumber, String line, String why) {
        String shown = line.length() > 80 ? line.substring(0, 80) + "..." : line;
        return new DataException(file + ": line " + lineNumber + ": " + why + ", got '" + shown + "'");
    }
}
