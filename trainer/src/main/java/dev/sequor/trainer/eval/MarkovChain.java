package dev.sequor.trainer.eval;

import dev.sequor.trainer.data.LeaveOneOutSplit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Baseline: a first-order item-to-item Markov chain from consecutive training actions; the next
 * item is scored by how often it followed the last one, ties broken by popularity.
 */
public final class MarkovChain implements Scorer {

    private final Map<Integer, Map<Integer, Integer>> transitions = new HashMap<>();
    private final float[] popularityTieBreak;

    public MarkovChain(LeaveOneOutSplit split) {
        float[] counts = new float[split.items() + 1];
        float max = 1;
        for (int[] s : split.trainingSequences()) {
            for (int t = 0; t < s.length; t++) {
                counts[s[t]]++;
                max = Math.max(max, counts[s[t]]);
                if (t > 0) {
                    transitions.computeIfAbsent(s[t - 1], a -> new HashMap<>()).merge(s[t], 1, Integer::sum);
                }
            }
        }
        popularityTieBreak = new float[counts.length];
        for (int i = 0; i < counts.length; i++) {
            popularityTieBreak[i] = counts[i] / (max + 1);
        }
    }

    @Override
    public float[][] scores(List<int[]> histories) {
        float[][] out = new float[histories.size()][];
        for (int i = 0; i < out.length; i++) {
            float[] s = popularityTieBreak.clone();
            int[] h = histories.get(i);
            if (h.length > 0) {
                transitions.getOrDefault(h[h.length - 1], Map.of()).forEach((item, n) -> s[item] += n);
            }
            out[i] = s;
        }
        return out;
    }

    @Override
    public String name() {
        return "markov-chain";
    }
}
