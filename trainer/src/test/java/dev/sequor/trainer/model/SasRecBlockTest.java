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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SasRecBlockTest {

    private static final int MAX_LENGTH = 12;
    private static final List<int[]> HISTORIES =
            List.of(new int[] {3, 7, 9}, new int[] {1}, new int[] {4, 4, 2, 8, 30});

    /**
     * Training trims a batch to its longest history; that is only sound when padding takes no part
     * in attention, so the real positions must come out the same at any padded width.
     */
    @ParameterizedTest(name = "preLayerNorm={0}")
    @ValueSource(booleans = {false, true})
    void leadingPaddingChangesNoHiddenState(boolean preLayerNorm) {
        try (Model model = Model.newInstance("sasrec", Device.cpu())) {
            SasRecBlock block = initializedBlock(model, 7, 0.1f, preLayerNorm);
            NDManager manager = model.getNDManager();
            List<int[]> histories = HISTORIES;
            int trimmed = 5;

            float[] full = hidden(block, manager, histories, MAX_LENGTH)
                    .get(new NDIndex(":, " + (MAX_LENGTH - trimmed) + ":, :")).toFloatArray();
            float[] narrow = hidden(block, manager, histories, trimmed).toFloatArray();

            assertThat(narrow).hasSameSizeAs(full);
            for (int i = 0; i < full.length; i++) {
                assertThat(narrow[i]).as("element %d", i).isCloseTo(full[i], within(1e-5f));
            }
        }
    }

    /** The same holds for training: every weight gets the same gradient at any padded width. */
    @ParameterizedTest(name = "preLayerNorm={0}")
    @ValueSource(booleans = {false, true})
    void leadingPaddingChangesNoGradient(boolean preLayerNorm) {
        Map<String, float[]> full = gradients(preLayerNorm, MAX_LENGTH);
        Map<String, float[]> narrow = gradients(preLayerNorm, 5);

        assertThat(narrow.keySet()).isEqualTo(full.keySet());
        full.forEach((name, expected) -> {
            float[] actual = narrow.get(name);
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).as("%s[%d]", name, i).isCloseTo(expected[i], within(1e-4f));
            }
        });
    }

    /** Gradients of the squared hidden states at the real positions, dropout off. */
    private static Map<String, float[]> gradients(boolean preLayerNorm, int width) {
        try (Model model = Model.newInstance("sasrec", Device.cpu())) {
            SasRecBlock block = initializedBlock(model, 11, 0f, preLayerNorm);
            NDManager manager = model.getNDManager();
            block.namedParameters().values().forEach(p -> p.getArray().setRequiresGradient(true));
            NDArray input = input(manager, HISTORIES, width);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray hidden = block.forward(new ParameterStore(manager, false), new NDList(input), true)
                        .singletonOrThrow();
                NDArray real = input.gt(0).toType(DataType.FLOAT32, false).expandDims(-1);
                collector.backward(hidden.mul(real).square().sum());
            }
            Map<String, float[]> out = new LinkedHashMap<>();
            block.namedParameters().forEach((name, p) -> out.put(name, p.getArray().getGradient().toFloatArray()));
            return out;
        }
    }

    private static SasRecBlock initializedBlock(Model model, int seed, float dropout, boolean preLayerNorm) {
        Engine.getInstance().setRandomSeed(seed);
        SasRecBlock block = new SasRecBlock(new SasRecConfig(16, 2, 2, MAX_LENGTH, dropout, preLayerNorm), 30);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, MAX_LENGTH));
        return block;
    }

    private static NDArray input(NDManager manager, List<int[]> histories, int width) {
        return manager.create(Histories.leftPad(histories, width), new Shape(histories.size(), width));
    }

    private static NDArray hidden(SasRecBlock block, NDManager manager, List<int[]> histories, int width) {
        return block.forward(new ParameterStore(manager, false), new NDList(input(manager, histories, width)), false)
                .singletonOrThrow();
    }
}
