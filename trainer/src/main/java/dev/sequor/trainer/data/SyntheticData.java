package dev.sequor.trainer.data;

import dev.sequor.modelpackage.ItemVocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Interactions with planted sequential structure: a sparse random item graph in which every item
 * has a few successors, and users who each follow one "habit": the same successor slot at every
 * step. A share of steps is popularity-weighted noise. From the last item alone (a first-order
 * Markov chain) the next one is a mix of the successors; a sequence model can read the user's
 * habit from the earlier steps and pick the right one, so it should beat both popularity and
 * Markov here.
 */
public final class SyntheticData {

    private SyntheticData() {
    }

    public record Settings(int users, int items, int minLength, int maxLength, int successors, double noise,
            long seed) {

        public static Settings small(long seed) {
            return new Settings(1000, 100, 8, 30, 4, 0.1, seed);
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
        for (int u = 0; u < s.users(); u++) {
            int length = s.minLength() + random.nextInt(s.maxLength() - s.minLength() + 1);
            int habit = random.nextInt(s.successors());
            int[] seq = new int[length];
            seq[0] = sample(popularity, total, random);
            for (int t = 1; t < length; t++) {
                seq[t] = random.nextDouble() < s.noise() ? sample(popularity, total, random) : next[seq[t - 1]][habit];
            }
            users.add("user-" + (u + 1));
            sequences.add(seq);
        }
        return new Interactions(users, sequences, vocabulary);
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
