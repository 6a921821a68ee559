package dev.sequor.trainer.data;

import java.util.Arrays;

/**
 * The literature's split: each user's last action is the test target, the one before it the
 * validation target, the rest is training data. Validation histories end before the validation
 * item; test histories include it.
 */
public record LeaveOneOutSplit(Interactions data) {

    public static final int MIN_ACTIONS = 3;

    public static LeaveOneOutSplit of(Interactions data) {
        for (int u = 0; u < data.users(); u++) {
            int n = data.sequences().get(u).length;
            if (n < MIN_ACTIONS) {
                throw new DataException("user '" + data.userIds().get(u) + "' has " + n + " action" + (n == 1 ? "" : "s")
                        + "; leave-one-out needs at least " + MIN_ACTIONS + " per user (training, validation, test). "
                        + "Remove such users or pass --drop-short-users.");
            }
        }
        return new LeaveOneOutSplit(data);
    }

    /** Drops users with fewer than {@link #MIN_ACTIONS} actions instead of failing. */
    public static Interactions withoutShortUsers(Interactions data) {
        java.util.List<String> users = new java.util.ArrayList<>();
        java.util.List<int[]> sequences = new java.util.ArrayList<>();
        for (int u = 0; u < data.users(); u++) {
            if (data.sequences().get(u).length >= MIN_ACTIONS) {
                users.add(data.userIds().get(u));
                sequences.add(data.sequences().get(u));
            }
        }
        if (users.isEmpty()) {
            throw new DataException("no user has " + MIN_ACTIONS + " or more actions");
        }
        return new Interactions(users, sequences, data.items());
    }

    public int users() {
        return data.users();
    }

    public int items() {
        return data.items().size();
    }

    /** Training sequence: everything but the last two actions. */
    public int[] train(int user) {
        int[] s = data.sequences().get(user);
        return Arrays.copyOf(s, s.length - 2);
    }

    public int[] validationHistory(int user) {
        return train(user);
    }

    public int validationTarget(int user) {
        int[] s = data.sequences().get(user);
        return s[s.length - 2];
    }

    public int[] testHistory(int user) {
        int[] s = data.sequences().get(user);
        return Arrays.copyOf(s, s.length - 1);
    }

    public int testTarget(int user) {
        int[] s = data.sequences().get(user);
        return s[s.length - 1];
    }
}
