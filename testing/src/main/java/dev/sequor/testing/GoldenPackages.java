package dev.sequor.testing;

import java.nio.file.Path;

/**
 * The committed golden model packages ({@code testing/golden}): a local registry with versions 1
 * and 2 of {@value #MODEL}, version 1 of {@value #TIME_MODEL} (TiSASRec) and version 1 of
 * {@value #BIDIRECTIONAL_MODEL} (BERT4Rec), made by the trainer (scripts/golden-packages.sh), so
 * tests of the runtime and the package module need no PyTorch. Read them in place; copy before changing.
 */
public final class GoldenPackages {

    public static final String MODEL = "synthetic-sasrec";
    /** A model that reads when each action happened and its event type: its graph takes timestamps and events. */
    public static final String TIME_MODEL = "synthetic-tisasrec";

    /** BERT4Rec: its graph appends the mask token to the history itself. */
    public static final String BIDIRECTIONAL_MODEL = "synthetic-bert4rec";

    private GoldenPackages() {
    }

    /** The registry root. */
    public static Path registry() {
        return Repo.root().resolve("testing/golden");
    }

    /** The package of {@value #TIME_MODEL}. */
    public static Path timeAware() {
        return registry().resolve(TIME_MODEL).resolve("versions").resolve("1");
    }

    /** The package of {@value #BIDIRECTIONAL_MODEL}. */
    public static Path bidirectional() {
        return registry().resolve(BIDIRECTIONAL_MODEL).resolve("versions").resolve("1");
    }

    /** The package directory of version {@code n} (1 or 2). */
    public static Path version(int n) {
        return registry().resolve(MODEL).resolve("versions").resolve(Integer.toString(n));
    }
}
