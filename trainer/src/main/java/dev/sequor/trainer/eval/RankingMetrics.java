package dev.sequor.trainer.eval;

/** Hit rate and NDCG at a cut-off, from a 0-based rank of the held-out item. */
public final class RankingMetrics {

    private RankingMetrics() {
    }

    public static double hitRate(int rank, int k) {
        return rank < k ? 1.0 : 0.0;
    }

    /** One relevant item: DCG = 1 / log2(rank + 2); its ideal is 1. */
    public static double ndcg(int rank, int k) {
        return rank < k ? 1.0 / (Math.log(rank + 2) / Math.log(2)) : 0.0;
    }

    /**
     * 0-based rank of {@code target} among the candidates: those scoring higher, plus half of
     * those tied with it, so constant scores give the expected rank of a random order.
     */
    public static int rank(float[] scores, int target, int[] candidates) {
        float t = scores[target];
        if (Float.isNaN(t)) {
            return candidates.length;
        }
        int higher = 0;
        int ties = 0;
        for (int c : candidates) {
            if (c == target) {
                continue;
            }
            if (scores[c] > t || Float.isNaN(scores[c])) {
                higher++;
            } else if (scores[c] == t) {
                ties++;
            }
        }
        return higher + ties / 2;
    }
}
