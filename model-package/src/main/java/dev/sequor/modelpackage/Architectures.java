package dev.sequor.modelpackage;

import java.util.Set;

/** The architectures a package's metadata may name, written by the trainer and served by the runtime. */
public final class Architectures {

    /** SASRec: items and their order (optionally event types). */
    public static final String SASREC = "sasrec";
    /** TiSASRec: SASRec with time intervals; its graph has the timestamps input. */
    public static final String TISASREC = "tisasrec";
    /**
     * BERT4Rec: bidirectional attention trained to fill in masked items; its graph appends the mask
     * token to the history itself, so it takes the same inputs as SASRec.
     */
    public static final String BERT4REC = "bert4rec";
    public static final Set<String> ALL = Set.of(SASREC, TISASREC, BERT4REC);

    private Architectures() {
    }
}
