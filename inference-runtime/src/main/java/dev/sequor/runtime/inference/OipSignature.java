package dev.sequor.runtime.inference;

import static dev.sequor.modelpackage.OnnxSignature.INPUT_EVENTS;
import static dev.sequor.modelpackage.OnnxSignature.INPUT_EXCLUDE;
import static dev.sequor.modelpackage.OnnxSignature.INPUT_HISTORY;
import static dev.sequor.modelpackage.OnnxSignature.INPUT_K;
import static dev.sequor.modelpackage.OnnxSignature.INPUT_TIMESTAMPS;
import static dev.sequor.modelpackage.OnnxSignature.OUTPUT_ITEMS;
import static dev.sequor.modelpackage.OnnxSignature.OUTPUT_SCORES;

import java.util.List;

/**
 * The model's tensors as the Open Inference Protocol shows them (model metadata), one definition
 * for REST and gRPC. An input with a default may be left out of a request.
 */
public final class OipSignature {

    /** REST, binary tensor data extension: the length of the JSON header that raw tensor bytes follow. */
    public static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    public static final String INT64 = "INT64";
    public static final String FP32 = "FP32";

    /** One tensor: -1 in the shape is any size; {@code defaultValue} is null for a required input. */
    public record TensorSpec(String name, String datatype, List<Long> shape, String defaultValue) {
        public boolean optional() {
            return defaultValue != null;
        }
    }

    private OipSignature() {
    }

    /**
     * @param readsTime whether the model reads each action's time (then {@code timestamps} is required)
     * @param readsEvents whether it reads each action's event type (then {@code events} is required)
     */
    public static List<TensorSpec> inputs(int maxLength, int defaultK, boolean readsTime, boolean readsEvents) {
        List<TensorSpec> inputs = new java.util.ArrayList<>();
        inputs.add(new TensorSpec(INPUT_HISTORY, INT64, List.of(-1L, (long) maxLength), null));
        if (readsTime) {
            inputs.add(new TensorSpec(INPUT_TIMESTAMPS, INT64, List.of(-1L, (long) maxLength), null));
        }
        if (readsEvents) {
            inputs.add(new TensorSpec(INPUT_EVENTS, INT64, List.of(-1L, (long) maxLength), null));
        }
        inputs.add(new TensorSpec(INPUT_EXCLUDE, INT64, List.of(-1L, -1L), "each row's own history"));
        inputs.add(new TensorSpec(INPUT_K, INT64, List.of(1L), Integer.toString(defaultK)));
        return List.copyOf(inputs);
    }

    private static final List<TensorSpec> OUTPUTS = List.of(new TensorSpec(OUTPUT_SCORES, FP32, List.of(-1L, -1L), null),
            new TensorSpec(OUTPUT_ITEMS, INT64, List.of(-1L, -1L), null));
    private static final List<String> OUTPUT_NAMES = OUTPUTS.stream().map(TensorSpec::name).toList();

    public static List<TensorSpec> outputs() {
        return OUTPUTS;
    }

    public static List<String> outputNames() {
        return OUTPUT_NAMES;
    }
}
