package dev.sequor.trainer.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.sequor.trainer.model.PerUserProbes;
import dev.sequor.trainer.model.SasRecBlock;
import dev.sequor.trainer.model.SasRecConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Per-user gradients from one batched pass equal the gradients of each user alone (a batch of
 * one), the item embedding's shared rows included; a step leaves Σ min(1, C/‖g_u‖) g_u (plus
 * noise) in the gradients.
 */
class UserLevelDpSgdTest {

    private static final SasRecConfig CONFIG = new SasRecConfig(8, 2, 2, 6, 0f, false);
    private static final int ITEMS = 12;
    // Three users; user 0 and 2 share items (also between inputs, targets and negatives).
    private static final long[][] HISTORY = {{0, 0, 3, 5, 3, 7}, {0, 0, 0, 0, 2, 9}, {1, 3, 5, 7, 9, 11}};
    private static final long[][] TARGET = {{0, 0, 5, 3, 7, 8}, {0, 0, 0, 0, 9, 4}, {3, 5, 7, 9, 11, 12}};
    private static final long[][] NEGATIVE = {{0, 0, 7, 1, 12, 3}, {0, 0, 0, 0, 1, 2}, {2, 4, 6, 8, 10, 3}};
    /** Shared negatives of the sampled softmax: distinct, some of them users' inputs and targets. */
    private static final long[] SHARED = {3, 12, 6, 1, 9};

    private Model model;
    private SasRecBlock block;
    private Trainer trainer;

    @BeforeEach
    void initialise() {
        ai.djl.engine.Engine.getInstance().setRandomSeed(3);
        block = new SasRecBlock(CONFIG, ITEMS);
        model = Model.newInstance("dp", Device.cpu());
        model.setBlock(block);
        trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss("unused"))
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build()));
        trainer.initialize(new Shape(3, CONFIG.maxLength()));
    }

    @AfterEach
    void close() {
        trainer.close();
        model.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bce", "sampled-softmax"})
    void probedNormsAreEachUsersOwnGradientNorm(String lossName) {
        try (NDManager m = trainer.getManager().newSubManager()) {
            PerUserProbes probes = new PerUserProbes(m, 3);
            try (GradientCollector c = trainer.newGradientCollector()) {
                c.backward(loss(m, lossName, new int[] {0, 1, 2}, probes));
            }
            float[] probed = probes.squaredNorms().sqrt().toFloatArray();
            for (int u = 0; u < 3; u++) {
                assertThat((double) probed[u]).as("user %d", u).isCloseTo(Math.sqrt(squaredNorm(alone(m, lossName, u))),
                        within(1e-4 * probed[u]));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bce", "sampled-softmax"})
    void aStepLeavesTheClippedSumInTheGradients(String lossName) {
        try (NDManager m = trainer.getManager().newSubManager()) {
            Map<String, float[]> expected = new LinkedHashMap<>();
            double clip = 0.05;
            for (int u = 0; u < 3; u++) {
                Map<String, float[]> g = alone(m, lossName, u);
                double factor = Math.min(1, clip / Math.sqrt(squaredNorm(g)));
                g.forEach((name, values) -> {
                    float[] sum = expected.computeIfAbsent(name, k -> new float[values.length]);
                    for (int i = 0; i < values.length; i++) {
                        sum[i] += (float) (factor * values[i]);
                    }
                });
            }
            // Noise a million times smaller than the clip: the step's gradient is the clipped sum / batch.
            DpSgdPlan plan = new DpSgdPlan(1, 1e-5, clip, 3, 100, 1, 1, 0.03, 1e-6);
            UserLevelDpSgd.StepStats stats = new UserLevelDpSgd(plan).step(trainer, block, m, array(m, HISTORY),
                    array(m, TARGET), privateLoss(m, lossName, new int[] {0, 1, 2}), 1f);
            assertThat(stats.users()).isEqualTo(3);
            assertThat(stats.clipped()).as("users whose gradient was longer than the clip").isEqualTo(3);
            for (var p : block.namedParameters().entrySet()) {
                float[] actual = p.getValue().getArray().getGradient().mul(3f).toFloatArray();
                float[] want = expected.get(p.getKey());
                for (int i = 0; i < actual.length; i++) {
                    assertThat((double) actual[i]).as(p.getKey() + "[" + i + "]").isCloseTo(want[i], within(1e-5));
                }
            }
        }
    }

    @Test
    void impossibleSettingsStopBeforeTraining() {
        assertThatThrownBy(() -> DpSgdPlan.calibrate(8, 1, 1, 128, 30_000, 10)).hasMessageContaining("delta");
        assertThatThrownBy(() -> DpSgdPlan.calibrate(0, 1e-6, 1, 128, 30_000, 10)).hasMessageContaining("epsilon");
        assertThatThrownBy(() -> DpSgdPlan.calibrate(8, 1e-6, 0, 128, 30_000, 10)).hasMessageContaining("clip");
        assertThatThrownBy(() -> DpSgdPlan.calibrate(8, 1e-3, 1, 128, 30_000, 10)).hasMessageContaining("1/users");
        assertThatThrownBy(() -> DpSgdPlan.calibrate(0.05, 1e-6, 1, 128, 30_000, 10))
                .hasMessageContaining("cannot be reached");
        DpSgdPlan plan = DpSgdPlan.calibrate(8, 1e-6, 1, 128, 30_000, 10);
        assertThat(plan.steps()).isEqualTo(10 * 234);
        assertThat(plan.spent().epsilon()).isLessThanOrEqualTo(8).isCloseTo(8, within(1e-6));
    }

    /** The loss of the given users, probed when probes are given. */
    private NDArray loss(NDManager m, String lossName, int[] users, PerUserProbes probes) {
        NDArray history = array(m, rows(HISTORY, users));
        block.probeNextForward(probes);
        NDArray hidden = trainer.forward(new NDList(history)).singletonOrThrow();
        return privateLoss(m, lossName, users).summed(hidden, array(m, rows(TARGET, users)),
                block.itemEmbedding().getArray(), probes);
    }

    private static PrivateLoss privateLoss(NDManager m, String lossName, int[] users) {
        return lossName.equals("bce") ? PrivateLoss.bce(array(m, rows(NEGATIVE, users)))
                : PrivateLoss.sampledSoftmax(m.create(SHARED));
    }

    /** One user's gradient of every parameter, from a batch of one. */
    private Map<String, float[]> alone(NDManager m, String lossName, int user) {
        for (Parameter p : block.namedParameters().values()) {
            NDArray g = p.getArray().getGradient();
            g.subi(g);
        }
        try (GradientCollector c = trainer.newGradientCollector()) {
            c.backward(loss(m, lossName, new int[] {user}, null));
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        block.namedParameters().forEach((name, p) -> out.put(name, p.getArray().getGradient().toFloatArray()));
        return out;
    }

    private static double squaredNorm(Map<String, float[]> gradients) {
        double sum = 0;
        for (float[] values : gradients.values()) {
            for (float v : values) {
                sum += (double) v * v;
            }
        }
        return sum;
    }

    private static long[][] rows(long[][] all, int[] users) {
        long[][] out = new long[users.length][];
        for (int i = 0; i < users.length; i++) {
            out[i] = all[users[i]];
        }
        return out;
    }

    private static NDArray array(NDManager m, long[][] rows) {
        long[] flat = new long[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * rows[0].length, rows[0].length);
        }
        return m.create(flat, new Shape(rows.length, rows[0].length));
    }
}
