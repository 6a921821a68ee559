package dev.sequor.trainer.data;

import dev.sequor.feedback.FeedbackEvent;
import dev.sequor.feedback.FeedbackLog;
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
 * Live feedback from the durable log ({@code docs/feedback.md}) as training actions: each event
 * once (by its id: storage is at least once), only the chosen event types, and every user's actions
 * in the order they happened (by timestamp, then by log order).
 */
public final class FeedbackData {

    /**
     * What was read.
     *
     * @param itemsByUser each user's items, oldest first
     * @param records records in the log
     * @param duplicates records whose event id was already read
     * @param otherTypes events of types not used for training
     * @param endOffsets for each log read, the offset after its last record read: what the data covers
     */
    public record Read(Map<String, List<String>> itemsByUser, long records, long duplicates, long otherTypes,
            Map<Path, Long> endOffsets) {

        public long actions() {
            return itemsByUser.values().stream().mapToLong(List::size).sum();
        }
    }

    private record Action(String item, long time, int log, long offset) {
    }

    private FeedbackData() {
    }

    /** Reads the log in {@code logDir}, or every log directly under it (one per router pod). */
    public static Read read(Path logDir, Set<String> eventTypes) {
        List<Path> logs = FeedbackLog.logsUnder(logDir);
        Set<String> seen = new HashSet<>();
        Map<String, List<Action>> byUser = new LinkedHashMap<>();
        Map<Path, Long> ends = new LinkedHashMap<>();
        long records = 0;
        long duplicates = 0;
        long otherTypes = 0;
        for (int log = 0; log < logs.size(); log++) {
            List<LogRecord> read = FeedbackLog.readOnly(logs.get(log));
            records += read.size();
            ends.put(logs.get(log), read.isEmpty() ? 0 : read.get(read.size() - 1).offset() + 1);
            for (LogRecord r : read) {
                FeedbackEvent e = FeedbackEvent.parse(r.payload());
                if (!seen.add(e.eventId())) {
                    duplicates++;
                } else if (!eventTypes.contains(e.event())) {
                    otherTypes++;
                } else {
                    byUser.computeIfAbsent(e.userId(), u -> new ArrayList<>())
                            .add(new Action(e.itemId(), e.timestampMillis(), log, r.offset()));
                }
            }
        }
        Map<String, List<String>> items = new LinkedHashMap<>();
        byUser.forEach((user, actions) -> items.put(user, actions.stream()
                .sorted(Comparator.comparingLong(Action::time).thenComparingInt(Action::log)
                        .thenComparingLong(Action::offset))
                .map(Action::item).toList()));
        return new Read(items, records, duplicates, otherTypes, ends);
    }

    /**
     * The base data with each user's feedback after their own actions (feedback is newer than any
     * dataset it joins); users only the feedback knows come last. The fingerprint of the result
     * covers both.
     */
    public static Interactions append(Interactions base, Map<String, List<String>> itemsByUser) {
        ItemVocabulary items = new ItemVocabulary();
        List<String> users = new ArrayList<>();
        List<int[]> sequences = new ArrayList<>();
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
        }
        itemsByUser.forEach((user, feedback) -> {
            if (!known.contains(user)) {
                users.add(user);
                sequences.add(feedback.stream().mapToInt(items::add).toArray());
            }
        });
        return new Interactions(users, sequences, items);
    }
}
