package dev.sequor.trainer.data;

import dev.sequor.modelpackage.ItemVocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Interactions with planted structure that depends on more than the last item, on time and on
 * the kind of action, as real shopping and viewing data does.
 *
 * <p>A sparse random item graph gives every item a few successors. Every user follows two
 * interests, each a walk on that graph with its own habit (the same successor slot at every
 * step). Actions come in sessions: seconds to minutes apart inside one, a day or more between
 * them. A user mostly continues the interest they are on, but usually turns to the other one
 * after a purchase or at the start of a new session. A share of actions is popularity-weighted
 * noise that moves neither interest.
 *
 * <p>What each model can see: popularity only the skew; a first-order Markov chain the successors
 * of the last item, which is the right place only while the user stays on one interest and the
 * last action was not noise; a sequence model both interests' last items and habits; a model
 * that reads time gaps or event types also when a switch is likely.
 */
public final class SyntheticData {

    /** The event types, in vocabulary order. */
    public static final List<String> EVENT_TYPES = List.of("view", "cart", "purchase");
    private static final int VIEW = 1;
    private static final int CART = 2;
    private static final int PURCHASE = 3;
    private static final long START = 1_767_225_600L; // 2026-01-01T00:00:00Z

    private SyntheticData() {
    }

    /**
     * @param successors successors per item in the item graph
     * @param noise share of actions drawn from popularity
     * @param newSession chance that an action starts a new session (a gap of a day or more)
     * @param switchAfterBreak chance of turning to the other interest after a purchase or a session break
     * @param switchOtherwise chance of turning to the other interest at any other action
     */
    public record Settings(int users, int items, int minLength, int maxLength, int successors, double noise,
            double newSession, double switchAfterBreak, double switchOtherwise, long seed) {

        /** The defaults of {@code train --synthetic}. */
        public static Settings of(int users, int items, long seed) {
            return new Settings(users, items, 8, 30, 4, 0.1, 0.25, 0.8, 0.1, seed);
        }

        public static Settings small(long seed) {
            return of(1000, 100, seed);
        }
    }

    public static Interactions generate(Settings s) {
        SplittableRandom random = new SplittableRandom(s.seed());
        int[][] next = new int[s.items() + 1][s.successors()];
        for (int i = 1; i <= s.items(); i++) {
            for (int j = 0; j < s.successors(); j++) {
                next[i][j] = 1 + random.nextInt(s.items());
            }
        }
        double[] popularity = new double[s.items() + 1];
        double total = 0;
        for (int i = 1; i <= s.items(); i++) {
            popularity[i] = 1.0 / Math.pow(i, 0.8);
            total += popularity[i];
        }
        ItemVocabulary vocabulary = new ItemVocabulary();
        for (int i = 1; i <= s.items(); i++) {
            vocabulary.add("item-" + i);
        }
        List<String> users = new ArrayList<>();
        List<int[]> sequences = new ArrayList<>();
        List<long[]> times = new ArrayList<>();
        List<int[]> events = new ArrayList<>();
        for (int u = 0; u < s.users(); u++) {
            int length = s.minLength() + random.nextInt(s.maxLength() - s.minLength() + 1);
            int[] last = {sample(popularity, total, random), sample(popularity, total, random)};
            int[] habit = {random.nextInt(s.successors()), random.nextInt(s.successors())};
            int[] seq = new int[length];
            long[] time = new long[length];
            int[] event = new int[length];
            int interest = 0;
            seq[0] = last[0];
            time[0] = START + random.nextLong(90L * 86_400);
            event[0] = VIEW;
            for (int t = 1; t < length; t++) {
                boolean sessionBreak = random.nextDouble() < s.newSession();
                time[t] = time[t - 1] + (sessionBreak
                        ? 86_400 + random.nextLong(6 * 86_400)
                        : 5 + (long) (-120 * Math.log(1 - random.nextDouble())));
                boolean afterBreak = sessionBreak || event[t - 1] == PURCHASE;
                if (random.nextDouble() < (afterBreak ? s.switchAfterBreak() : s.switchOtherwise())) {
                    interest = 1 - interest;
                }
                if (random.nextDouble() < s.noise()) {
                    seq[t] = sample(popularity, total, random);
                    event[t] = VIEW;
                } else {
                    last[interest] = next[last[interest]][habit[interest]];
                    seq[t] = last[interest];
                    double kind = random.nextDouble();
                    event[t] = kind < 0.12 ? PURCHASE : kind < 0.27 ? CART : VIEW;
                }
            }
            users.add("user-" + (u + 1));
            sequences.add(seq);
            times.add(time);
            events.add(event);
        }
        return new Interactions(users, sequences, vocabulary, times, events, EVENT_TYPES);
    }

    private static int sample(double[] weights, double total, SplittableRandom random) {
        double r = random.nextDouble() * total;
        for (int i = 1; i < weights.length; i++) {
            r -= weights[i];
            if (r <= 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
