package dev.sequor.trainer.data;

import dev.sequor.modelpackage.ItemVocabulary;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Every user's actions in time order, as item indices (1..items), with the item vocabulary.
 *
 * @param userIds external user ids, parallel to sequences
 * @param sequences one int array per user, oldest first
 */
public record Interactions(List<String> userIds, List<int[]> sequences, ItemVocabulary items) {

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
