package dev.sequor.trainer.privacy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import dev.sequor.trainer.model.PerUserProbes;
import dev.sequor.trainer.model.SasRecBlock;
import dev.sequor.trainer.model.Scalars;
import java.util.Map;

/**
 * One user-level DP-SGD step (Abadi et al. 2016, with users as the unit): every sampled user's
 * gradient over all parameters, the item embedding included, is clipped to L2 norm C; the clipped
 * gradients are summed, Gaussian noise N(0, (σC)²) is added to every coordinate of every
 * parameter, and the sum is divided by the expected batch size. The result is left in the
 * parameters' gradients for the optimizer's step. Per-user gradients come from one batched
 * backward pass ({@link PerUserProbes}), not a loop over users. Losses: {@link PrivateLoss}.
 */
public final class UserLevelDpSgd {

    /** What a step did, for progress and curves. */
    public record StepStats(int users, int clipped, double loss) {
    }

    private final DpSgdPlan plan;

    public UserLevelDpSgd(DpSgdPlan plan) {
        this.plan = plan;
    }

    /**
     * Computes the noised, clipped gradient of a batch of sampled users into the parameters'
     * gradients. {@code history} and {@code target} are [users, length], one row per user (a user is
     * in a batch at most once); an empty batch still adds the noise.
     *
     * @param lossScale each user's loss is its summed position losses divided by this
     */
    public StepStats step(Trainer trainer, SasRecBlock block, NDManager m, NDArray history, NDArray target,
            PrivateLoss privateLoss, float lossScale) {
        Map<String, Parameter> parameters = block.namedParameters();
        zeroGradients(parameters, m);
        long users = history.getShape().get(0);
        int clipped = 0;
        double loss = 0;
        if (users > 0) {
            PerUserProbes probes = new PerUserProbes(m, users);
            NDArray factors;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                block.probeNextForward(probes);
                NDArray hidden = trainer.forward(new NDList(history)).singletonOrThrow();
                NDArray summed = privateLoss.summed(hidden, target, block.itemEmbedding().getArray(), probes);
                collector.backward(Scalars.dividedBy(summed, lossScale));
                loss = summed.getFloat();
            }
            // A sum of squares rounded below zero would be NaN under the root and poison every parameter.
            NDArray norms = Scalars.atLeast(probes.squaredNorms(), 0f).sqrt();
            if (norms.isInfinite().logicalOr(norms.isNaN()).any().getBoolean()) {
                throw new IllegalStateException("a user's gradient norm is not finite (loss " + loss + "); the "
                        + "parameters have grown too far under the noise: lower --lr");
            }
            // min(1, C / norm): a user whose gradient is longer than C is scaled down to C.
            float clip = (float) plan.maxGradNorm();
            factors = Scalars.over(clip, Scalars.atLeast(norms, clip));
            clipped = (int) norms.gt(clip).sum().getLong();
            zeroGradients(parameters, m);
            writeClippedSums(block, probes, factors, m);
        }
        addNoiseAndAverage(parameters, m);
        return new StepStats((int) users, clipped, loss);
    }

    /** Σ_user factor × that user's gradient, into each parameter's gradient. */
    private static void writeClippedSums(SasRecBlock block, PerUserProbes probes, NDArray factors, NDManager m) {
        for (var probe : probes.parameters().entrySet()) {
            NDArray perUser = probe.getValue().getGradient();
            Shape shape = perUser.getShape();
            Shape broadcast = new Shape(shape.get(0)).addAll(new Shape(ones(shape.dimension() - 1)));
            NDArray sum = perUser.mul(factors.reshape(broadcast)).sum(new int[] {0});
            NDArray gradient = gradientOf(block.namedParameters().get(probe.getKey()), m);
            if (gradient.getShape().equals(sum.getShape())) {
                gradient.addi(sum);
            } else {
                // Position embeddings of an input shorter than maxLength: the last rows.
                long offset = gradient.getShape().get(0) - sum.getShape().get(0);
                gradient.set(new NDIndex(offset + ":"), sum);
            }
        }
        // The item embedding: scatter-add each lookup's scaled gradient onto its row, through autograd.
        NDArray indices = probes.lookupIndices();
        NDArray scaled = probes.lookupGradients().mul(factors.reshape(-1, 1, 1));
        NDArray table = block.itemEmbedding().getArray();
        try (GradientCollector scatter = table.getManager().getEngine().newGradientCollector()) {
            NDArray rows = embed(indices, table);
            rows.attach(m);
            scatter.backward(rows.mul(scaled.stopGradient()).sum());
        }
    }

    private void addNoiseAndAverage(Map<String, Parameter> parameters, NDManager m) {
        float std = (float) (plan.noiseMultiplier() * plan.maxGradNorm());
        for (Parameter p : parameters.values()) {
            NDArray gradient = gradientOf(p, m);
            gradient.addi(m.randomNormal(0, std, gradient.getShape(), DataType.FLOAT32, gradient.getDevice()));
            gradient.divi((float) plan.expectedBatch());
        }
    }

    private static void zeroGradients(Map<String, Parameter> parameters, NDManager m) {
        for (Parameter p : parameters.values()) {
            NDArray gradient = gradientOf(p, m);
            gradient.subi(gradient);
        }
    }

    /**
     * The parameter's gradient. Not attached to the step's manager: closing this handle frees the
     * gradient the parameter still uses (later steps then read freed memory); DJL's own optimizer
     * leaves these handles with the model's manager too.
     */
    private static NDArray gradientOf(Parameter p, NDManager m) {
        return p.getArray().getGradient();
    }

    private static NDArray embed(NDArray indices, NDArray table) {
        return Embedding.embedding(indices, table, SparseFormat.DENSE).singletonOrThrow();
    }

    private static long[] ones(int n) {
        long[] out = new long[n];
        java.util.Arrays.fill(out, 1);
        return out;
    }
}
