package dev.sequor.modelpackage;

/**
 * The ONNX graph's interface, written by the trainer's exporter and checked and fed by the
 * runtime. Top-k runs inside the graph; masked items (padding, excluded) score {@link #MASKED}.
 */
public final class OnnxSignature {

    /** int64 [batch, maxSequenceLength]: item indices, left-padded with {@link ItemVocabulary#PADDING}. */
    public static final String INPUT_HISTORY = "history";
    /** int64 [batch, n >= 1]: item indices never to return (pad with 0 when there are none). */
    public static final String INPUT_EXCLUDE = "exclude";
    /**
     * int64 [batch, maxSequenceLength]: each history action's time in epoch seconds, aligned with
     * {@link #INPUT_HISTORY} (padding's are ignored); only graphs of models that read time have it.
     */
    public static final String INPUT_TIMESTAMPS = "timestamps";
    /**
     * int64 [batch, maxSequenceLength]: each history action's type, 1.. into the metadata's
     * {@code eventTypes}, 0 for padding; only graphs of models that read event types have it.
     */
    public static final String INPUT_EVENTS = "events";
    /** int64 [1]: how many items to return. */
    public static final String INPUT_K = "k";
    /** float32 [batch, k]: scores, best first. */
    public static final String OUTPUT_SCORES = "scores";
    /** int64 [batch, k]: item indices, best first. */
    public static final String OUTPUT_ITEMS = "items";

    /** Added to a score that must never win: masked attention positions, padding, excluded items. */
    public static final float MASKED = -1e9f;
    /** A returned score at or below this was masked by the graph: not a real recommendation. */
    public static final float MASKED_BELOW = -1e8f;

    private OnnxSignature() {
    }
}
