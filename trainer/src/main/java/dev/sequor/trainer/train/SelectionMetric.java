package dev.sequor.trainer.train;

import dev.sequor.trainer.eval.EvalResult;
import java.util.Locale;

/** The validation metric that picks the best epoch and drives early stopping. */
public enum SelectionMetric {
    /** NDCG@10 over the full catalogue: what a deployed recommender is judged on. */
    NDCG_FULL,
    /** NDCG@10 against the sampled negatives: the protocol of the SASRec paper. */
    NDCG_SAMPLED;

    public double of(EvalResult validation) {
        return this == NDCG_FULL ? validation.ndcgFull() : validation.ndcgSampled();
    }

    public static SelectionMetric parse(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
