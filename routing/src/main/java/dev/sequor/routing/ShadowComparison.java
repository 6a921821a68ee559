package dev.sequor.routing;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** How alike two ranked recommendation lists are: the champion's answer and a shadow's. */
public final class ShadowComparison {

    /** Persistence of rank-biased overlap: the top 10 carry about 65% of the weight. */
    public static final double RBO_PERSISTENCE = 0.9;

    private ShadowComparison() {
    }

    /** Share of the first k items of {@code a} that are among the first k of {@code b}. */
    public static double overlapAtK(List<String> a, List<String> b, int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive");
        }
        Set<String> top = new HashSet<>(b.subList(0, Math.min(k, b.size())));
        int common = 0;
        for (String item : a.subList(0, Math.min(k, a.size()))) {
            if (top.contains(item)) {
                common++;
            }
        }
        return (double) common / k;
    }

    /**
     * Rank-biased overlap (Webber, Moffat and Zobel, TOIS 2010), extrapolated to the lists'
     * common depth (their eq. 32): 1 for identical rankings, 0 for disjoint ones, and a swap at
     * the top costs more than one at the bottom.
     */
    public static double rankBiasedOverlap(List<String> a, List<String> b, double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("persistence must be in (0, 1)");
        }
        int depth = Math.min(a.size(), b.size());
        if (depth == 0) {
            return a.isEmpty() && b.isEmpty() ? 1.0 : 0.0;
        }
        Set<String> seenA = new HashSet<>();
        Set<String> seenB = new HashSet<>();
        int overlap = 0;
        double sum = 0;
        double weight = 1;
        for (int d = 1; d <= depth; d++) {
            String x = a.get(d - 1);
            String y = b.get(d - 1);
            if (x.equals(y)) {
                overlap++;
            } else {
                if (seenB.contains(x)) {
                    overlap++;
                }
                if (seenA.contains(y)) {
                    overlap++;
                }
            }
            seenA.add(x);
            seenB.add(y);
            weight *= p;
            sum += (double) overlap / d * weight;
        }
        return (double) overlap / depth * weight + (1 - p) / p * sum;
    }
}
