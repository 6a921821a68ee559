package dev.sequor.trainer.train;

import java.util.Locale;

/** Training objectives. */
public enum LossKind {
    /** The paper's: binary cross-entropy of each next item against one sampled negative. */
    BCE,
    /** Softmax cross-entropy over the whole catalogue. */
    CE,
    /** Softmax cross-entropy over the next item and shared uniformly sampled negatives. */
    SAMPLED_SOFTMAX;

    public static LossKind parse(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
