package dev.sequor.trainer.data;

import dev.sequor.feedback.FeedbackEvent;
import dev.sequor.feedback.FeedbackSnapshot;
import dev.sequor.feedback.LogRecord;
import dev.sequor.modelpackage.ItemVocabulary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Live feedback from a sink's snapshot (the durable log or a Kafka topic, {@code docs/feedback.md})
 * as training actions: each event once (by its id: storage is at least once), only the chosen event
 * types, and every user's actions in the order they happened (by timestamp, then by stream order).
 */
public final class FeedbackData {

    /**
     * What was read.
     *
     * @param itemsByUser each user's items, oldest first
     * @param secondsByUser each user's action times in epoch seconds, parallel to itemsByUser
     * @param typesByUser each user's event types (click, ...), parallel to itemsByUser
     * @param records records read
     * @param duplicates records whose event id was already read
     * @param otherTypes events of types not used for training
     * @param endOffsets for each stream read (a log, a partition), the offset after its last record: what the data covers
     */
    public record Read(Map<String, List<String>> itemsByUser, Map<String, long[]> secondsByUser,
            Map<String, List<String>> typesByUser, long records, long duplicates, long otherTypes,
            Map<String, Long> endOffsets) {

        public long actions() {
            return itemsByUser.values().stream().mapToLong(List::size).sum();
        }
    }

    private record Action(String item, long time, int stream, long offset, String type) {
    }

    private FeedbackData() {
    }

    /** Reads the log in {@code logDir}, or every log directly under it (one per router pod). */
    public static Read read(Path logDir, Set<String> eventTypes) {
        return read(FeedbackSnapshot.ofLogs(logDir), eventTypes);
    }

    /** Reads a sink's snapshot: every stream in the order it is given, each in its own order. */
    public static Read read(FeedbackSnapshot snapshot, Set<String> eventTypes) {
        Set<String> seen = new HashSet<>();
        Map<String, List<Action>> byUser = new LinkedHashMap<>();
        long duplicates = 0;
        long otherTypes = 0;
        int stream = 0;
        for (List<LogRecord> records : snapshot.streams().values()) {
            for (LogRecord r : records) {
                FeedbackEvent e = FeedbackEvent.parse(r.payload());
                if (!seen.add(e.eventId())) {
                    duplicates++;
                } else if (!eventTypes.contains(e.event())) {
                    otherTypes++;
                } else {
                    byUser.computeIfAbsent(e.userId(), u -> new ArrayList<>())
                            .add(new Action(e.itemId(), e.timestampMillis(), stream, r.offset(), e.event()));
                }
            }
            stream++;
        }
        Map<String, List<String>> items = new LinkedHashMap<>();
        Map<String, long[]> seconds = new LinkedHashMap<>();
        Map<String, List<String>> types = new LinkedHashMap<>();
        byUser.forEach((user, actions) -> {
            List<Action> ordered = actions.stream().sorted(Comparator.comparingLong(Action::time)
                    .thenComparingInt(Action::stream).thenComparingLong(Action::offset)).toList();
            items.put(user, ordered.stream().map(Action::item).toList());
            seconds.put(user, ordered.stream().mapToLong(a -> Math.floorDiv(a.time(), 1000)).toArray());
            types.put(user, ordered.stream().map(Action::type).toList());
        });
        return new Read(items, seconds, types, snapshot.records(), duplicates, otherTypes, snapshot.endOffsets());
    }

    /**
     * The base data with each user's feedback after their own actions (feedback is newer than any
     * dataset it joins); users only the feedback knows come last. The fingerprint of the result
     * covers both.
     */
    public static Interactions append(Interactions base, Map<String, List<String>> itemsByUser) {
        return append(base, itemsByUser, null, null);
    }

    /**
     * The same with what was read, keeping the base's action times and event types when it has
     * them: the feedback's own times (seconds), and its event types (click, ...) added to the
     * base's vocabulary of types.
     */
    public static Interactions append(Interactions base, Read feedback) {
        return append(base, feedback.itemsByUser(), feedback.secondsByUser(), feedback.typesByUser());
    }

    private static Interactions append(Interactions base, Map<String, List<String>> itemsByUser,
            Map<String, long[]> secondsByUser, Map<String, List<String>> typesByUser) {
        boolean timed = base.hasTimes() && secondsByUser != null;
        boolean typed = base.hasEvents() && typesByUser != null;
        List<String> typeNames = new ArrayList<>(base.eventTypes());
        ItemVocabulary items = new ItemVocabulary();
        List<String> users = new ArrayList<>();
        List<int[]> sequences = new ArrayList<>();
        List<long[]> times = new ArrayList<>();
        List<int[]> events = new ArrayList<>();
        Set<String> known = new HashSet<>();
        for (int u = 0; u < base.users(); u++) {
            String user = base.userIds().get(u);
            known.add(user);
            List<String> sequence = new ArrayList<>();
            for (int item : base.sequences().get(u)) {
                sequence.add(base.items().externalId(item));
            }
            sequence.addAll(itemsByUser.getOrDefault(user, List.of()));
            users.add(user);
            sequences.add(sequence.stream().mapToInt(items::add).toArray());
            if (timed) {
                long[] own = base.times().get(u);
                long[] added = secondsByUser.getOrDefault(user, new long[0]);
                long[] all = java.util.Arrays.copyOf(own, own.length + added.length);
                System.arraycopy(added, 0, all, own.length, added.length);
                times.add(all);
            }
            if (typed) {
                int[] own = base.events().get(u);
                int[] added = indices(typesByUser.getOrDefault(user, List.of()), typeNames);
                int[] all = java.util.Arrays.copyOf(own, own.length + added.length);
                System.arraycopy(added, 0, all, own.length, added.length);
                events.add(all);
            }
        }
        itemsByUser.forEach((user, feedback) -> {
            if (!known.contains(user)) {
                users.add(user);
                sequences.add(feedback.stream().mapToInt(items::add).toArray());
                if (timed) {
                    times.add(secondsByUser.get(user));
                }
                if (typed) {
                    events.add(indices(typesByUser.get(user), typeNames));
                }
            }
        });
        return new Interactions(users, sequences, items, times, events, typed ? typeNames : List.of());
    }

    /** Event type indices (1..), adding new types to {@code names}. */
    private static int[] indices(List<String> types, List<String> names) {
        int[] out = new int[types.size()];
        for (int i = 0; i < out.length; i++) {
            int index = names.indexOf(types.get(i));
            if (index < 0) {
                names.add(types.get(i));
                index = names.size() - 1;
            }
            out[i] = index + 1;
        }
        return out;
    }
}
