package dev.sequor.testing;

import java.nio.file.Path;

/**
 * The committed golden model packages ({@code testing/golden}): a local registry with versions 1
 * and 2 of {@value #MODEL}, made by the trainer (scripts/golden-packages.sh), so tests of the
 * runtime and the package module need no PyTorch. Read them in place; copy before changing.
 */
public final class GoldenPackages {

    public static final String MODEL = "synthetic-sasrec";

    private GoldenPackages() {
    }

    /** The registry root. */
    public static Path registry() {
        return Repo.root().resolve("testing/golden");
    }

    /** The package directory of version {@code n} (1 or 2). */
    public static Path version(int n) {
        return registry().resolve(MODEL).resolve("versions").resolve(Integer.toString(n));
    }
}
