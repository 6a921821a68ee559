package dev.sequor.trainer.model;

/**
 * SASRec hyper-parameters; the defaults are the paper's (Kang & McAuley 2018) for sparse data.
 *
 * @param hidden embedding and attention width
 * @param blocks self-attention blocks
 * @param heads attention heads (hidden must divide by it)
 * @param maxLength most recent actions the model reads
 * @param dropout dropout rate on embeddings, attention and feed-forward
 * @param preLayerNorm layer norm before attention and feed-forward (true) or SASRec's placement
 */
public record SasRecConfig(int hidden, int blocks, int heads, int maxLength, float dropout, boolean preLayerNorm) {

    public static final SasRecConfig PAPER = new SasRecConfig(50, 2, 1, 50, 0.5f, false);

    public SasRecConfig {
        if (hidden <= 0 || blocks <= 0 || heads <= 0 || maxLength <= 0) {
            throw new IllegalArgumentException("hidden, blocks, heads and maxLength must be positive");
        }
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("hidden (" + hidden + ") must be a multiple of heads (" + heads + ")");
        }
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
    }
}
