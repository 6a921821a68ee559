package dev.sequor.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SasRecBlockTest {

    private static final int MAX_LENGTH = 12;
    private static final List<int[]> HISTORIES =
            List.of(new int[] {3, 7, 9}, new int[] {1}, new int[] {4, 4, 2, 8, 30});
    private static final List<long[]> TIMES =
            List.of(new long[] {100, 160, 400}, new long[] {5}, new long[] {10, 10, 20, 50, 1000});
    private static final List<long[]> EVENTS =
            List.of(new long[] {1, 2, 3}, new long[] {1}, new long[] {1, 1, 2, 3, 1});

    @Test
    void intervalsAreGapsInUnitsOfTheUsersSmallestGapClippedAtTheSpan() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray times = manager.create(new long[] {0, 100, 160, 400, 10, 10, 20, 1000}, new Shape(2, 4));
            NDArray real = manager.create(new float[] {0, 1, 1, 1, 1, 1, 1, 1}, new Shape(2, 4));
            long[] r = SasRecBlock.intervals(times, real, 40).toLongArray();
            // User 1: smallest gap 60 (100 -> 160); |400 - 100| = 300 = 5 units; 240 = 4 units.
            assertThat(java.util.Arrays.copyOfRange(r, 4, 8)).containsExactly(1, 0, 1, 5);
            assertThat(java.util.Arrays.copyOfRange(r, 12, 16)).containsExactly(6, 5, 4, 0);
            assertThat(r[1]).isEqualTo(1); // padding (time 0) against 100: 100 / 60 rounded down
            // User 2: equal times are no gap; smallest 10; 990 / 10 = 99 clips at 40.
            assertThat(java.util.Arrays.copyOfRange(r, 16, 32)).containsExactly(0, 0, 1, 40, 0, 0, 1, 40, 1, 1, 0, 40,
                    40, 40, 40, 0);
        }
    }

    @Test
    void oneActionOrEqualTimesMeanUnitOne() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray times = manager.create(new long[] {0, 7, 7}, new Shape(1, 3));
            NDArray real = manager.create(new float[] {0, 1, 1}, new Shape(1, 3));
            assertThat(SasRecBlock.intervals(times, real, 5).toLongArray()).containsExactly(0, 5, 5, 5, 0, 0, 5, 0, 0);
        }
    }

    /**
     * Training trims a batch to its longest history; that is only sound when padding takes no part
     * in attention, so the real positions must come out the same at any padded width.
     */
    @ParameterizedTest(name = "preLayerNorm={0}, timeSpan={1}, eventTypes={2}, maskProbability={3}")
    @CsvSource({"false,0,0,0", "true,0,0,0", "false,40,0,0", "true,40,0,0", "false,0,3,0", "false,40,3,0",
            "false,0,0,0.2", "true,0,0,0.2"})
    void leadingPaddingChangesNoHiddenState(boolean preLayerNorm, int timeSpan, int eventTypes, float maskProbability) {
        try (Model model = Model.newInstance("sasrec", Device.cpu())) {
            SasRecBlock block = initializedBlock(model, 7, 0.1f, preLayerNorm, timeSpan, eventTypes, maskProbability);
            NDManager manager = model.getNDManager();
            int trimmed = 5;

            float[] full = hidden(block, manager, MAX_LENGTH)
                    .get(new NDIndex(":, " + (MAX_LENGTH - trimmed) + ":, :")).toFloatArray();
            float[] narrow = hidden(block, manager, trimmed).toFloatArray();

            assertThat(narrow).hasSameSizeAs(full);
            for (int i = 0; i < full.length; i++) {
                assertThat(narrow[i]).as("element %d", i).isCloseTo(full[i], within(1e-5f));
            }
        }
    }

    /**
     * Left to right, a position's state ignores what comes after it; BERT4Rec's (bidirectional)
     * depends on it, and asking for the next item puts the mask token last.
     */
    @ParameterizedTest(name = "maskProbability={0}")
    @CsvSource({"0", "0.2"})
    void onlyTheBidirectionalModelReadsWhatComesLater(float maskProbability) {
        try (Model model = Model.newInstance("sasrec", Device.cpu())) {
            SasRecBlock block = initializedBlock(model, 3, 0f, false, 0, 0, maskProbability);
            NDManager manager = model.getNDManager();
            Shape shape = new Shape(1, MAX_LENGTH);
            long[] before = Histories.leftPad(List.of(new int[] {3, 7, 9}), MAX_LENGTH);
            long[] after = before.clone();
            after[MAX_LENGTH - 1] = 20;
            float[] first = block.forward(new ParameterStore(manager, false), new NDList(manager.create(before, shape)),
                    false).singletonOrThrow().get(new NDIndex("0, " + (MAX_LENGTH - 3))).toFloatArray();
            float[] changed = block.forward(new ParameterStore(manager, false), new NDList(manager.create(after, shape)),
                    false).singletonOrThrow().get(new NDIndex("0, " + (MAX_LENGTH - 3))).toFloatArray();
            if (maskProbability > 0) {
                assertThat(changed).isNotEqualTo(first);
            } else {
                assertThat(changed).containsExactly(first);
            }
        }
        long mask = SasRecConfig.maskToken(30);
        assertThat(Histories.askForNext(new long[] {0, 0, 3, 7, 1, 2, 3, 4}, 4, mask))
                .containsExactly(0, 3, 7, mask, 2, 3, 4, mask);
    }

    /** The same holds for training: every weight gets the same gradient at any padded width. */
    @ParameterizedTest(name = "preLayerNorm={0}, timeSpan={1}, eventTypes={2}, maskProbability={3}")
    @CsvSource({"false,0,0,0", "true,0,0,0", "false,40,3,0", "false,0,0,0.2"})
    void leadingPaddingChangesNoGradient(boolean preLayerNorm, int timeSpan, int eventTypes, float maskProbability) {
        Map<String, float[]> full = gradients(preLayerNorm, timeSpan, eventTypes, maskProbability, MAX_LENGTH);
        Map<String, float[]> narrow = gradients(preLayerNorm, timeSpan, eventTypes, maskProbability, 5);

        assertThat(narrow.keySet()).isEqualTo(full.keySet());
        full.forEach((name, expected) -> {
            float[] actual = narrow.get(name);
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).as("%s[%d]", name, i).isCloseTo(expected[i], within(1e-4f));
            }
        });
    }

    /** Gradients of the squared hidden states at the real positions, dropout off. */
    private static Map<String, float[]> gradients(boolean preLayerNorm, int timeSpan, int eventTypes,
            float maskProbability, int width) {
        try (Model model = Model.newInstance("sasrec", Device.cpu())) {
            SasRecBlock block = initializedBlock(model, 11, 0f, preLayerNorm, timeSpan, eventTypes, maskProbability);
            NDManager manager = model.getNDManager();
            block.namedParameters().values().forEach(p -> p.getArray().setRequiresGradient(true));
            NDList inputs = inputs(block, manager, width);
            NDArray input = inputs.get(0);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray hidden = block.forward(new ParameterStore(manager, false), inputs, true).singletonOrThrow();
                NDArray real = input.gt(0).toType(DataType.FLOAT32, false).expandDims(-1);
                collector.backward(hidden.mul(real).square().sum());
            }
            Map<String, float[]> out = new LinkedHashMap<>();
            block.namedParameters().forEach((name, p) -> out.put(name, p.getArray().getGradient().toFloatArray()));
            return out;
        }
    }

    private static SasRecBlock initializedBlock(Model model, int seed, float dropout, boolean preLayerNorm,
            int timeSpan, int eventTypes, float maskProbability) {
        Engine.getInstance().setRandomSeed(seed);
        SasRecConfig config = new SasRecConfig(16, 2, 2, MAX_LENGTH, dropout, preLayerNorm, timeSpan, eventTypes,
                maskProbability);
        SasRecBlock block = new SasRecBlock(config, 30);
        model.setBlock(block);
        Shape[] inputs = new Shape[1 + config.features().size()];
        java.util.Arrays.fill(inputs, new Shape(1, MAX_LENGTH));
        block.initialize(model.getNDManager(), DataType.FLOAT32, inputs);
        return block;
    }

    private static NDList inputs(SasRecBlock block, NDManager manager, int width) {
        Shape shape = new Shape(HISTORIES.size(), width);
        NDList inputs = new NDList(manager.create(Histories.leftPad(HISTORIES, width), shape));
        if (block.config().readsTime()) {
            inputs.add(manager.create(Histories.leftPadFeature(TIMES, width), shape));
        }
        if (block.config().readsEvents()) {
            inputs.add(manager.create(Histories.leftPadFeature(EVENTS, width), shape));
        }
        return inputs;
    }

    private static NDArray hidden(SasRecBlock block, NDManager manager, int width) {
        return block.forward(new ParameterStore(manager, false), inputs(block, manager, width), false)
                .singletonOrThrow();
    }
}
