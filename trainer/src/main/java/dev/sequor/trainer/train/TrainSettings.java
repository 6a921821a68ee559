package dev.sequor.trainer.train;

/**
 * How to train.
 *
 * @param epochs most passes over the users
 * @param batchSize users per step
 * @param learningRate Adam's learning rate
 * @param loss the objective ({@link LossKind#AUTO} until {@link #forCatalogue} resolves it)
 * @param sampledNegatives negatives per step for the sampled softmax
 * @param evalEvery validate every this many epochs (and after the last)
 * @param patience stop after this many validations without a better selection metric
 * @param selectBy the validation metric that picks the best epoch
 * @param lengthBuckets batch users of similar history length and cut each batch to its longest
 *     history: several times faster on sparse data, but not bit-reproducible from run to run
 * @param seed fixes initialisation, batches, negatives and dropout
 */
public record TrainSettings(int epochs, int batchSize, float learningRate, LossKind loss, int sampledNegatives,
        int evalEvery, int patience, SelectionMetric selectBy, boolean lengthBuckets, long seed) {

    public static TrainSettings paper(long seed) {
        return new TrainSettings(200, 128, 0.001f, LossKind.BCE, 256, 20, 3, SelectionMetric.NDCG_FULL, false, seed);
    }

    public TrainSettings {
        if (epochs < 1 || batchSize < 1 || evalEvery < 1 || patience < 1 || sampledNegatives < 1) {
            throw new IllegalArgumentException("epochs, batchSize, evalEvery, patience and negatives must be >= 1");
        }
        if (loss == null || selectBy == null) {
            throw new IllegalArgumentException("loss and selectBy are required");
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive");
        }
    }

    /** These settings with {@link LossKind#AUTO} resolved for the data at hand. */
    public TrainSettings forCatalogue(int items, boolean differentiallyPrivate) {
        return new TrainSettings(epochs, batchSize, learningRate, loss.forCatalogue(items, differentiallyPrivate),
                sampledNegatives, evalEvery, patience, selectBy, lengthBuckets, seed);
    }
}
