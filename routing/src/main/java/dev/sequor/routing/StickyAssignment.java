package dev.sequor.routing;

import dev.sequor.contract.Variant;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Assigns users to the variants of a {@link TrafficSplit}: a user's bucket is
 * SHA-256(salt, 0, user key) mod {@link #BUCKETS}, the same in every router, process and
 * release. Candidates own consecutive bucket ranges from bucket 0, in the order the split lists
 * them, each {@code weight × 100} buckets wide; the champion owns the rest. So a candidate whose
 * weight grows keeps every user it had (its range only grows), and a request without a user key
 * goes to the champion.
 */
public final class StickyAssignment {

    public static final int BUCKETS = 10_000;
    private static final int BUCKETS_PER_PERCENT = BUCKETS / 100;

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    });

    /** A candidate's bucket range, [from, to). */
    public record Range(Route route, int from, int to) {
    }

    private final TrafficSplit split;
    private final byte[] salt;
    private final List<Range> candidates;
    private final Route champion;

    public StickyAssignment(TrafficSplit split) {
        this.split = split.validated();
        this.salt = (split.salt() + '\0').getBytes(StandardCharsets.UTF_8);
        this.champion = split.champion();
        List<Range> ranges = new ArrayList<>();
        int from = 0;
        for (Route r : split.variants()) {
            if (!r.variant().equals(Variant.CHAMPION)) {
                int to = from + r.weight() * BUCKETS_PER_PERCENT;
                ranges.add(new Range(r, from, to));
                from = to;
            }
        }
        this.candidates = List.copyOf(ranges);
    }

    public TrafficSplit split() {
        return split;
    }

    public Route champion() {
        return champion;
    }

    /** The variant that serves this user; the champion when there is no user key. */
    public Route route(String userKey) {
        if (userKey == null || userKey.isEmpty()) {
            return champion;
        }
        int bucket = bucket(salt, userKey);
        for (Range r : candidates) {
            if (bucket >= r.from() && bucket < r.to()) {
                return r.route();
            }
        }
        return champion;
    }

    public List<Range> candidateRanges() {
        return candidates;
    }

    /** The user's bucket under a salt, 0 .. {@link #BUCKETS} - 1. */
    public static int bucket(String salt, String userKey) {
        return bucket((salt + '\0').getBytes(StandardCharsets.UTF_8), userKey);
    }

    private static int bucket(byte[] saltAndSeparator, String userKey) {
        MessageDigest sha = SHA256.get();
        sha.update(saltAndSeparator);
        byte[] digest = sha.digest(userKey.getBytes(StandardCharsets.UTF_8));
        long first8 = ByteBuffer.wrap(digest, 0, 8).getLong() >>> 1;
        return (int) (first8 % BUCKETS);
    }
}
