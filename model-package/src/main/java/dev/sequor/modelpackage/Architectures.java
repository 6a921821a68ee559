package dev.sequor.modelpackage;

import java.util.Set;

/** The architectures a package's metadata may name, written by the trainer and served by the runtime. */
public final class Architectures {

    /** SASRec: items and their order (optionally event types). */
    public static final String SASREC = "sasrec";
    /** TiSASRec: SASRec with time intervals; its graph has the timestamps input. */
    public static final String TISASREC = "tisasrec";
    public static final Set<String> ALL = Set.of(SASREC, TISASREC);

    private Architectures() {
    }
}
