package dev.sequor.trainer.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The literature's split: each user's last action is the test target, the one before it the
 * validation target, the rest is training data. Validation histories end before the validation
 * item; test histories include it. Users with fewer than {@value #MIN_ACTIONS} actions cannot be
 * evaluated; {@link ShortUsers} says what happens to them.
 */
public final class LeaveOneOutSplit {

    public static final int MIN_ACTIONS = 3;

    /** What to do with users who have fewer than three actions. */
    public enum ShortUsers {
        /** Stop with an error naming the first such user. */
        FAIL,
        /** Leave them out entirely. */
        DROP,
        /** Train on their actions but do not evaluate them (the SASRec paper's code does this). */
        TRAIN_ONLY;

        public static ShortUsers parse(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    private final Interactions data;
    private final int[] evaluated;
    private final List<Integer> trainOnly;

    private LeaveOneOutSplit(Interactions data, int[] evaluated, List<Integer> trainOnly) {
        this.data = data;
        this.evaluated = evaluated;
        this.trainOnly = trainOnly;
    }

    public static LeaveOneOutSplit of(Interactions data) {
        return of(data, ShortUsers.FAIL);
    }

    public static LeaveOneOutSplit of(Interactions data, ShortUsers shortUsers) {
        List<Integer> evaluated = new ArrayList<>();
        List<Integer> trainOnly = new ArrayList<>();
        for (int u = 0; u < data.users(); u++) {
            int[] s = data.sequences().get(u);
            if (s.length >= MIN_ACTIONS) {
                evaluated.add(u);
            } else if (shortUsers == ShortUsers.FAIL) {
                throw new DataException("user '" + data.userIds().get(u) + "' has " + s.length + " action"
                        + (s.length == 1 ? "" : "s") + "; leave-one-out needs at least " + MIN_ACTIONS
                        + " per user (training, validation, test). Remove such users, or pass "
                        + "--short-users drop or --short-users train-only.");
            } else if (shortUsers == ShortUsers.TRAIN_ONLY) {
                trainOnly.add(u);
            }
        }
        if (evaluated.isEmpty()) {
            throw new DataException("no user has " + MIN_ACTIONS + " or more actions: nothing to evaluate on");
        }
        return new LeaveOneOutSplit(data, evaluated.stream().mapToInt(Integer::intValue).toArray(), trainOnly);
    }

    public Interactions data() {
        return data;
    }

    /** Users that are evaluated; the {@code user} arguments below index these. */
    public int users() {
        return evaluated.length;
    }

    public int items() {
        return data.items().size();
    }

    public int[] sequence(int user) {
        return data.sequences().get(evaluated[user]);
    }

    /** Training sequence: everything but the last two actions. */
    public int[] train(int user) {
        int[] s = sequence(user);
        return Arrays.copyOf(s, s.length - 2);
    }

    /** Everything the model and the baselines may learn from: training parts and train-only users. */
    public List<int[]> trainingSequences() {
        List<int[]> out = new ArrayList<>(evaluated.length + trainOnly.size());
        for (int u = 0; u < evaluated.length; u++) {
            out.add(train(u));
        }
        trainOnly.forEach(u -> out.add(data.sequences().get(u)));
        return out;
    }

    /** Whether every action has this feature in the data. */
    public boolean has(ActionFeature feature) {
        return switch (feature) {
            case TIMESTAMPS -> data.hasTimes();
            case EVENTS -> data.hasEvents();
        };
    }

    /** The feature of {@link #trainingSequences()}, parallel to it; fails when the data lacks it. */
    public List<long[]> trainingFeature(ActionFeature feature) {
        List<long[]> out = new ArrayList<>(evaluated.length + trainOnly.size());
        for (int u = 0; u < evaluated.length; u++) {
            out.add(head(feature, evaluated[u], 2));
        }
        trainOnly.forEach(u -> out.add(head(feature, u, 0)));
        return out;
    }

    /** The feature of {@link #validationHistory}. */
    public long[] validationFeature(ActionFeature feature, int user) {
        return head(feature, evaluated[user], 2);
    }

    /** The feature of {@link #testHistory}. */
    public long[] testFeature(ActionFeature feature, int user) {
        return head(feature, evaluated[user], 1);
    }

    /** A data user's feature values but the last {@code cut}. */
    private long[] head(ActionFeature feature, int dataUser, int cut) {
        if (!has(feature)) {
            throw new DataException(switch (feature) {
                case TIMESTAMPS -> "the data has no timestamps (the sasrec format has order only): "
                        + "use --format movielens or csv to train a model that reads time";
                case EVENTS -> "the data has no event types: give a csv with an 'event' column";
            });
        }
        int length = data.sequences().get(dataUser).length - cut;
        return switch (feature) {
            case TIMESTAMPS -> Arrays.copyOf(data.times().get(dataUser), length);
            case EVENTS -> Arrays.stream(data.events().get(dataUser), 0, length).asLongStream().toArray();
        };
    }

    public int[] validationHistory(int user) {
        return train(user);
    }

    public int validationTarget(int user) {
        int[] s = sequence(user);
        return s[s.length - 2];
    }

    public int[] testHistory(int user) {
        int[] s = sequence(user);
        return Arrays.copyOf(s, s.length - 1);
    }

    public int testTarget(int user) {
        int[] s = sequence(user);
        return s[s.length - 1];
    }
}
