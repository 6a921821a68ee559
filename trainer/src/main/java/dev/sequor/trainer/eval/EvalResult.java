package dev.sequor.trainer.eval;

/**
 * Leave-one-out ranking quality.
 *
 * @param hitRateFull HR@k over the whole catalogue, the user's seen items excluded
 * @param ndcgFull NDCG@k over the whole catalogue
 * @param hitRateSampled HR@k against sampled negatives (the SASRec paper's protocol)
 * @param ndcgSampled NDCG@k against sampled negatives
 */
public record EvalResult(double hitRateFull, double ndcgFull, double hitRateSampled, double ndcgSampled, int users) {
}
