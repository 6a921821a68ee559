package dev.sequor.trainer.eval;

import dev.sequor.trainer.data.LeaveOneOutSplit;
import java.util.ArrayList;
import java.util.HashSet;
import dev.sequor.trainer.data.ActionFeature;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * Ranks each user's held-out item two ways: over the full catalogue with the user's seen items
 * excluded, and against {@code negatives} random items the user never touched (fixed by the
 * seed, so every scorer meets the same negatives).
 */
public final class Evaluator {

    private static final int BATCH = 256;

    private final LeaveOneOutSplit split;
    private final int k;
    private final int[][] sampledNegatives;

    public Evaluator(LeaveOneOutSplit split, int k, int negatives, long seed) {
        this.split = split;
        this.k = k;
        this.sampledNegatives = new int[split.users()][];
        SplittableRandom random = new SplittableRandom(seed);
        int items = split.items();
        if (items - 1 < negatives) {
            throw new IllegalArgumentException("catalogue of " + items + " items is too small for " + negatives
                    + " sampled negatives");
        }
        for (int u = 0; u < split.users(); u++) {
            Set<Integer> touched = new HashSet<>();
            for (int item : split.sequence(u)) {
                touched.add(item);
            }
            int[] sample = new int[Math.min(negatives, items - touched.size())];
            Set<Integer> chosen = new HashSet<>();
            for (int i = 0; i < sample.length; i++) {
                int candidate;
                do {
                    candidate = 1 + random.nextInt(items);
                } while (touched.contains(candidate) || !chosen.add(candidate));
                sample[i] = candidate;
            }
            sampledNegatives[u] = sample;
        }
    }

    public EvalResult validation(Scorer scorer) {
        return evaluate(scorer, split::validationHistory, split::validationFeature, split::validationTarget);
    }

    public EvalResult test(Scorer scorer) {
        return evaluate(scorer, split::testHistory, split::testFeature, split::testTarget);
    }

    /** A feature of one evaluated user's history. */
    private interface FeatureOf {
        long[] of(ActionFeature feature, int user);
    }

    private EvalResult evaluate(Scorer scorer, IntFunction<int[]> history, FeatureOf feature,
            IntFunction<Integer> target) {
        double hrFull = 0;
        double ndcgFull = 0;
        double hrSampled = 0;
        double ndcgSampled = 0;
        int items = split.items();
        for (int start = 0; start < split.users(); start += BATCH) {
            int end = Math.min(split.users(), start + BATCH);
            List<int[]> histories = new ArrayList<>();
            Map<ActionFeature, List<long[]>> features = new EnumMap<>(ActionFeature.class);
            for (int u = start; u < end; u++) {
                histories.add(history.apply(u));
                for (ActionFeature f : ActionFeature.values()) {
                    if (split.has(f)) {
                        features.computeIfAbsent(f, x -> new ArrayList<>()).add(feature.of(f, u));
                    }
                }
            }
            float[][] scores = scorer.scores(histories, features);
            for (int u = start; u < end; u++) {
                float[] s = scores[u - start];
                int t = target.apply(u);
                int fullRank = fullRank(s, t, histories.get(u - start), items);
                int sampledRank = RankingMetrics.rank(s, t, sampledNegatives[u]);
                hrFull += RankingMetrics.hitRate(fullRank, k);
                ndcgFull += RankingMetrics.ndcg(fullRank, k);
                hrSampled += RankingMetrics.hitRate(sampledRank, k);
                ndcgSampled += RankingMetrics.ndcg(sampledRank, k);
            }
        }
        int n = split.users();
        return new EvalResult(hrFull / n, ndcgFull / n, hrSampled / n, ndcgSampled / n, n);
    }

    /**
     * Rank among all items but padding and the items already in the history (the target stays).
     * A NaN score is never a hit: a diverged model must not look perfect.
     */
    private static int fullRank(float[] scores, int target, int[] history, int items) {
        boolean[] seen = new boolean[items + 1];
        for (int item : history) {
            seen[item] = true;
        }
        float t = scores[target];
        if (Float.isNaN(t)) {
            return items;
        }
        int higher = 0;
        int ties = 0;
        for (int j = 1; j <= items; j++) {
            if (j == target || seen[j]) {
                continue;
            }
            if (scores[j] > t || Float.isNaN(scores[j])) {
                higher++;
            } else if (scores[j] == t) {
                ties++;
            }
        }
        return higher + ties / 2;
    }
}
