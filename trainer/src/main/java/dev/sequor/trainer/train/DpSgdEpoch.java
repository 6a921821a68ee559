package dev.sequor.trainer.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import dev.sequor.trainer.model.Histories;
import dev.sequor.trainer.model.SasRecBlock;
import dev.sequor.trainer.privacy.DpSgdPlan;
import dev.sequor.trainer.privacy.PrivateLoss;
import dev.sequor.trainer.privacy.UserLevelDpSgd;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * An epoch of user-level DP-SGD: {@code stepsPerEpoch} steps, each over a Poisson sample of the
 * users (every user independently with probability q, as the accountant assumes: batches vary in
 * size and may be empty), each user's whole training sequence (its last maxLength actions) one row.
 * Negatives: one per position (BCE), or a set of distinct items per step shared by its users
 * (sampled softmax); neither depends on the data, so they cost no privacy.
 */
final class DpSgdEpoch {

    private final DpSgdPlan plan;
    private final UserLevelDpSgd dpSgd;
    /** Each user's loss is divided by the average positions per user: gradients on the scale the clip is set in. */
    private final float lossScale;
    private final LossKind loss;
    private final int sharedNegatives;

    DpSgdEpoch(DpSgdPlan plan, List<int[]> sequences, int maxLength, LossKind loss, int sharedNegatives) {
        this.plan = plan;
        this.dpSgd = new UserLevelDpSgd(plan);
        this.lossScale = (float) (LengthBuckets.positions(sequences, maxLength) / (double) sequences.size());
        this.loss = loss;
        this.sharedNegatives = sharedNegatives;
    }

    /** Runs the epoch; returns the loss per position over the users it sampled. */
    double run(Trainer trainer, SasRecBlock block, List<int[]> sequences, List<Set<Integer>> seen,
            SplittableRandom random, int epoch, ProgressListener listener) {
        int maxLength = block.config().maxLength();
        double lossSum = 0;
        long positions = 0;
        for (int step = 1; step <= plan.stepsPerEpoch(); step++) {
            int[] users = poissonSample(sequences.size(), plan.sampleRate(), random);
            int rows = users.length;
            int length = rows == 0 ? 1 : LengthBuckets.inputLength(sequences, users, maxLength);
            long[] input = new long[rows * length];
            long[] targets = new long[rows * length];
            long[] negatives = new long[rows * length];
            for (int r = 0; r < rows; r++) {
                int[] s = sequences.get(users[r]);
                Histories.leftPad(s, 0, s.length - 1, input, r, length);
                Histories.leftPad(s, 1, s.length, targets, r, length);
                for (int i = r * length; i < (r + 1) * length; i++) {
                    if (targets[i] != 0) {
                        if (loss == LossKind.BCE) {
                            negatives[i] = SasRecTrainer.negative(block.items(), seen.get(users[r]), random);
                        }
                        positions++;
                    }
                }
            }
            try (NDManager m = trainer.getManager().newSubManager()) {
                Shape shape = new Shape(rows, length);
                PrivateLoss privateLoss = loss == LossKind.BCE ? PrivateLoss.bce(m.create(negatives, shape))
                        : PrivateLoss.sampledSoftmax(m.create(distinct(block.items(), sharedNegatives, random)));
                UserLevelDpSgd.StepStats stats = dpSgd.step(trainer, block, m, m.create(input, shape),
                        m.create(targets, shape), privateLoss, lossScale);
                if (!Double.isFinite(stats.loss())) {
                    throw new IllegalStateException("training diverged: loss is " + stats.loss() + " in epoch " + epoch
                            + ", step " + step + "; lower --lr");
                }
                trainer.step();
                lossSum += stats.loss();
            }
            listener.batch(epoch, step, plan.stepsPerEpoch(), positions == 0 ? 0 : lossSum / positions);
        }
        return positions == 0 ? 0 : lossSum / positions;
    }

    /** {@code count} distinct items of 1..items, uniformly (all of them when count >= items). */
    static long[] distinct(int items, int count, SplittableRandom random) {
        int n = Math.min(count, items);
        java.util.Set<Long> picked = new java.util.LinkedHashSet<>();
        while (picked.size() < n) {
            picked.add(1L + random.nextInt(items));
        }
        return picked.stream().mapToLong(Long::longValue).toArray();
    }

    /** Each of {@code n} users independently with probability {@code q}. */
    static int[] poissonSample(int n, double q, SplittableRandom random) {
        int[] picked = new int[n];
        int count = 0;
        for (int u = 0; u < n; u++) {
            if (random.nextDouble() < q) {
                picked[count++] = u;
            }
        }
        return java.util.Arrays.copyOf(picked, count);
    }
}
