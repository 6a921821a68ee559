package dev.sequor.trainer.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * The embedded registry that needs no server, in the layout the operator and runtime read:
 * {@code <root>/<model>/versions/<n>/} (one package each) and {@code <root>/<model>/aliases/<alias>}
 * (a file holding a version number).
 */
public final class LocalRegistry {

    private final Path root;

    public LocalRegistry(Path root) {
        this.root = root;
    }

    /** Reserves the next version number by creating its directory atomically, and returns it. */
    public Path newVersionDirectory(String model) throws IOException {
        Path versions = Files.createDirectories(root.resolve(model).resolve("versions"));
        for (int n = latest(versions) + 1; ; n++) {
            try {
                return Files.createDirectory(versions.resolve(Integer.toString(n)));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another trainer took n; try the next
            }
        }
    }

    public static String versionOf(Path versionDirectory) {
        return versionDirectory.getFileName().toString();
    }

    /** Points an alias at a version, atomically (write then rename). */
    public void setAlias(String model, String alias, String version) throws IOException {
        Path aliases = Files.createDirectories(root.resolve(model).resolve("aliases"));
        Path tmp = Files.createTempFile(aliases, "." + alias, ".tmp");
        Files.writeString(tmp, version + "\n");
        Files.move(tmp, aliases.resolve(alias), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static int latest(Path versions) throws IOException {
        try (Stream<Path> list = Files.list(versions)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.matches("[1-9][0-9]*"))
                    .mapToInt(Integer::parseInt).max().orElse(0);
        }
    }
}
