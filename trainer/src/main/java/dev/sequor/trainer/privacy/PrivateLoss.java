package dev.sequor.trainer.privacy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import dev.sequor.trainer.model.PerUserProbes;
import dev.sequor.trainer.model.SasRecBlock;
import dev.sequor.trainer.model.Scalars;

/**
 * A training loss written so that DP-SGD can take each user's gradient apart: every row of the
 * item embedding it reads goes through the probes (when given), so a user's gradient of the table
 * is known without a table per user. Padding positions' logits are zeroed before the loss: under
 * DP noise the padding row and the final norm's bias drift (nothing pulls them back), and an
 * overflowing logit times a zero mask is NaN.
 */
@FunctionalInterface
public interface PrivateLoss {

    /**
     * The loss summed over the real positions of a batch, one user per row.
     *
     * @param hidden [users, length, hidden] from the (probed) forward pass
     * @param target [users, length] the next items, 0 at padding
     * @param probes the step's probes, or null for a plain (non-private) gradient
     */
    NDArray summed(NDArray hidden, NDArray target, NDArray table, PerUserProbes probes);

    /** The SASRec paper's BCE: -log σ(h·e_next) - log(1 - σ(h·e_neg)), one negative per position. */
    static PrivateLoss bce(NDArray negative) {
        return (hidden, target, table, probes) -> {
            NDArray real = real(target);
            NDArray positive = lookup(target, table, probes);
            NDArray negatives = lookup(negative, table, probes);
            NDArray perPosition = softPlus(hidden.mul(positive).sum(new int[] {-1}).mul(real).neg())
                    .add(softPlus(hidden.mul(negatives).sum(new int[] {-1}).mul(real)));
            return perPosition.mul(real).sum();
        };
    }

    /**
     * Softmax of the next item against {@code negatives} [n], distinct items shared by the whole
     * batch (a negative that is the next item is masked out).
     */
    static PrivateLoss sampledSoftmax(NDArray negatives) {
        return (hidden, target, table, probes) -> {
            NDArray real = real(target);
            NDArray positive = hidden.mul(lookup(target, table, probes)).sum(new int[] {-1}).expandDims(-1);
            NDArray shared = embed(negatives, table);
            NDArray negativeLogits = probes == null ? hidden.matMul(shared.transpose())
                    : hidden.matMul(probes.sharedLookups(negatives, shared).transpose(0, 2, 1));
            NDArray accidentalHit = Scalars.times(target.expandDims(-1).eq(negatives.reshape(1, 1, -1))
                    .toType(DataType.FLOAT32, false), SasRecBlock.MASKED);
            NDArray logits = positive.concat(negativeLogits.add(accidentalHit), -1).mul(real.expandDims(-1));
            return logits.logSoftmax(-1).get(new NDIndex(":, :, 0")).neg().mul(real).sum();
        };
    }

    private static NDArray lookup(NDArray indices, NDArray table, PerUserProbes probes) {
        NDArray rows = embed(indices, table);
        return probes == null ? rows : probes.lookups(indices, rows);
    }

    private static NDArray real(NDArray target) {
        return target.gt(0).toType(DataType.FLOAT32, false);
    }

    private static NDArray embed(NDArray indices, NDArray table) {
        return Embedding.embedding(indices, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /** log(1 + e^x) without overflow: max(x, 0) + log(1 + e^-|x|) (the naive form is inf, and its gradient NaN, past 88). */
    static NDArray softPlus(NDArray x) {
        return Scalars.atLeast(x, 0f).add(x.abs().neg().exp().add(1f).log());
    }
}
