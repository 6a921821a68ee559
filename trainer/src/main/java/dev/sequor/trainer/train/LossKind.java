package dev.sequor.trainer.train;

import java.util.Locale;

/** Training objectives. */
public enum LossKind {
    /** The paper's: binary cross-entropy of each next item against one sampled negative. */
    BCE,
    /** Softmax cross-entropy over the whole catalogue. */
    CE,
    /** Softmax cross-entropy over the next item and shared uniformly sampled negatives. */
    SAMPLED_SOFTMAX,
    /** The default: chosen by {@link #forCatalogue} once the data is read. */
    AUTO;

    /**
     * Largest catalogue that {@link #AUTO} trains with the full softmax. Measured on 2 cores
     * (docs/benchmarks.md): a full-softmax epoch costs about 2.3x a sampled-softmax one at 2,000
     * items, 7x at 10,000 and 18x at 30,000, for about 13% more full-catalogue NDCG@10 on Amazon
     * Games; past this size the sampled softmax is the better trade.
     */
    public static final int FULL_SOFTMAX_MAX_ITEMS = 3_000;

    /**
     * The loss {@link #AUTO} stands for: a softmax loss (BCE loses to a first-order Markov chain over
     * the full catalogue of Amazon Games), the full one for small catalogues, the sampled one for
     * large ones and under DP-SGD (whose per-user clipping of the full softmax is not built).
     * Any other kind is returned as it is.
     */
    public LossKind forCatalogue(int items, boolean differentiallyPrivate) {
        if (this != AUTO) {
            return this;
        }
        return items <= FULL_SOFTMAX_MAX_ITEMS && !differentiallyPrivate ? CE : SAMPLED_SOFTMAX;
    }

    public static LossKind parse(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
