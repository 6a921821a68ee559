package dev.sequor.trainer.data;

import dev.sequor.modelpackage.ItemVocabulary;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Every user's actions in time order, as item indices (1..items), with the item vocabulary, and
 * where the data has them, when and how each action happened.
 *
 * @param userIds external user ids, parallel to sequences
 * @param sequences one int array per user, oldest first
 * @param times epoch seconds of each action, parallel to sequences; empty when the data has no time
 * @param events each action's type as an index into {@code eventTypes} plus one (0 is kept for
 *     padding), parallel to sequences; empty when the data has no event types
 * @param eventTypes the event type names
 */
public record Interactions(List<String> userIds, List<int[]> sequences, ItemVocabulary items, List<long[]> times,
        List<int[]> events, List<String> eventTypes) {

    public Interactions {
        if (!times.isEmpty() && times.size() != sequences.size()) {
            throw new IllegalArgumentException("times must be given for every user or none");
        }
        if (!events.isEmpty() && (events.size() != sequences.size() || eventTypes.isEmpty())) {
            throw new IllegalArgumentException("events must be given for every user or none, with their types");
        }
    }

    /** Items only: no times, no event types. */
    public Interactions(List<String> userIds, List<int[]> sequences, ItemVocabulary items) {
        this(userIds, sequences, items, List.of(), List.of(), List.of());
    }

    public boolean hasTimes() {
        return !times.isEmpty();
    }

    public boolean hasEvents() {
        return !events.isEmpty();
    }

    public int users() {
        return sequences.size();
    }

    public long actions() {
        return sequences.stream().mapToLong(s -> s.length).sum();
    }

    /** SHA-256 over users' sequences of external ids: the training data's identity. */
    public String fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (int u = 0; u < sequences.size(); u++) {
                digest.update(userIds.get(u).getBytes(StandardCharsets.UTF_8));
                for (int item : sequences.get(u)) {
                    digest.update((byte) ' ');
                    digest.update(items.externalId(item).getBytes(StandardCharsets.UTF_8));
                }
                digest.update((byte) '\n');
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
