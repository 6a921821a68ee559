package dev.sequor.trainer.model;

import dev.sequor.modelpackage.Architectures;
import dev.sequor.trainer.data.ActionFeature;
import java.util.ArrayList;
import java.util.List;

/**
 * SASRec hyper-parameters; the defaults are the paper's (Kang & McAuley 2018) for sparse data.
 *
 * @param hidden embedding and attention width
 * @param blocks self-attention blocks
 * @param heads attention heads (hidden must divide by it)
 * @param maxLength most recent actions the model reads
 * @param dropout dropout rate on embeddings, attention and feed-forward
 * @param preLayerNorm layer norm before attention and feed-forward (true) or SASRec's placement
 * @param timeSpan 0 for SASRec; above 0, TiSASRec (Li, Wang and McAuley 2020): the time interval
 *     between every two actions, in units of the user's smallest gap and clipped at this many
 *     units, has learned embeddings added to the attention's keys and values
 * @param eventTypes 0, or how many event types the data has: each action's type then has a learned
 *     embedding added to its item's
 * @param maskProbability 0 for a left-to-right model; above 0, BERT4Rec (Sun et al. 2019):
 *     attention in both directions, trained to fill in items masked with this probability (the
 *     Cloze task), and asked for the next item by a mask token after the history
 */
public record SasRecConfig(int hidden, int blocks, int heads, int maxLength, float dropout, boolean preLayerNorm,
        int timeSpan, int eventTypes, float maskProbability) {

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
        if (timeSpan < 0) {
            throw new IllegalArgumentException("timeSpan must be 0 (no time intervals) or positive, got " + timeSpan);
        }
        if (eventTypes < 0) {
            throw new IllegalArgumentException("eventTypes must be 0 (not read) or positive, got " + eventTypes);
        }
        if (maskProbability < 0 || maskProbability >= 1) {
            throw new IllegalArgumentException("maskProbability must be in [0, 1), got " + maskProbability);
        }
        if (maskProbability > 0 && (timeSpan > 0 || eventTypes > 0)) {
            // The mask token that asks for the next item has no time or event type of its own.
            throw new IllegalArgumentException("the bidirectional model (BERT4Rec) reads items only: no time "
                    + "intervals or event types");
        }
    }

    /** Left to right, with time intervals and event types as given. */
    public SasRecConfig(int hidden, int blocks, int heads, int maxLength, float dropout, boolean preLayerNorm,
            int timeSpan, int eventTypes) {
        this(hidden, blocks, heads, maxLength, dropout, preLayerNorm, timeSpan, eventTypes, 0);
    }

    /** SASRec: items and their order only. */
    public SasRecConfig(int hidden, int blocks, int heads, int maxLength, float dropout, boolean preLayerNorm) {
        this(hidden, blocks, heads, maxLength, dropout, preLayerNorm, 0, 0, 0);
    }

    /** BERT4Rec with these layers, trained with this mask probability. */
    public static SasRecConfig bidirectional(int hidden, int blocks, int heads, int maxLength, float dropout,
            boolean preLayerNorm, float maskProbability) {
        if (!(maskProbability > 0)) {
            throw new IllegalArgumentException("the bidirectional model needs a mask probability above 0");
        }
        return new SasRecConfig(hidden, blocks, heads, maxLength, dropout, preLayerNorm, 0, 0, maskProbability);
    }

    /** The same model reading {@code count} event types. */
    public SasRecConfig withEventTypes(int count) {
        return new SasRecConfig(hidden, blocks, heads, maxLength, dropout, preLayerNorm, timeSpan, count,
                maskProbability);
    }

    /** Whether the model reads each action's event type. */
    public boolean readsEvents() {
        return eventTypes > 0;
    }

    /** What the model reads besides the history, in input order. */
    public List<ActionFeature> features() {
        List<ActionFeature> out = new ArrayList<>();
        if (readsTime()) {
            out.add(ActionFeature.TIMESTAMPS);
        }
        if (readsEvents()) {
            out.add(ActionFeature.EVENTS);
        }
        return List.copyOf(out);
    }

    /** BERT4Rec: attention in both directions, the next item asked for by a mask token. */
    public boolean bidirectional() {
        return maskProbability > 0;
    }

    /** The index of the mask token in a model over {@code items} items (after them; 0 is padding). */
    public static long maskToken(int items) {
        return items + 1L;
    }

    /** Whether the model reads each action's time. */
    public boolean readsTime() {
        return timeSpan > 0;
    }

    /** The model's name as papers and tables write it. */
    public String displayName() {
        return bidirectional() ? "BERT4Rec" : readsTime() ? "TiSASRec" : "SASRec";
    }

    /** The package's architecture name. */
    public String architecture() {
        return bidirectional() ? Architectures.BERT4REC : readsTime() ? Architectures.TISASREC : Architectures.SASREC;
    }
}
