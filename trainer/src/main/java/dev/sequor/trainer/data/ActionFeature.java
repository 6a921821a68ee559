package dev.sequor.trainer.data;

import dev.sequor.modelpackage.OnnxSignature;

/**
 * What a model may read of each action besides its item, one int64 per history position, in this
 * order after the history in the model's inputs and in its ONNX graph.
 */
public enum ActionFeature {
    /** When the action happened (TiSASRec's intervals); any integer unit in training, epoch seconds served. */
    TIMESTAMPS(OnnxSignature.INPUT_TIMESTAMPS),
    /** The action's type: 1.. into the package's event types, 0 for padding. */
    EVENTS(OnnxSignature.INPUT_EVENTS);

    private final String input;

    ActionFeature(String input) {
        this.input = input;
    }

    /** The graph input that carries it. */
    public String input() {
        return input;
    }
}
