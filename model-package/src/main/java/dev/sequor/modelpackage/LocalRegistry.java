package dev.sequor.modelpackage;

import dev.sequor.modelpackage.RegistryException.Kind;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The embedded registry that needs no server: a directory laid out as
 * {@code <root>/<model>/versions/<n>/} (one model package each) and
 * {@code <root>/<model>/aliases/<alias>} (a file holding a version number).
 *
 * <p>Publishing is all or nothing: the package is written into a staging directory beside
 * {@code versions/} and renamed to its number under a lock file, so a version directory is
 * always complete, two trainers never get the same number, and a crash leaves no version behind.
 */
public final class LocalRegistry {

    private static final String STAGING = ".staging";
    private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private final Path root;

    public LocalRegistry(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** A fresh directory to write a package into before {@link #publish}. */
    public Path stagingDirectory(String model) throws IOException {
        return Files.createTempDirectory(Files.createDirectories(root.resolve(model).resolve(STAGING)), "package-");
    }

    /** Makes the staged package the model's next version and returns its number. */
    public String publish(String model, Path staged) throws IOException {
        Path modelDir = root.resolve(model);
        Path versions = Files.createDirectories(modelDir.resolve("versions"));
        // The file lock excludes other processes; it cannot be taken twice in one JVM, so threads queue first.
        synchronized (LOCKS.computeIfAbsent(modelDir.toAbsolutePath().normalize(), k -> new Object())) {
            try (FileChannel channel = FileChannel.open(modelDir.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                String version = Integer.toString(latest(versions) + 1);
                Files.move(staged, versions.resolve(version), StandardCopyOption.ATOMIC_MOVE);
                return version;
            }
        }
    }

    /** Points an alias at a version, atomically (write then rename). */
    public void setAlias(String model, String alias, String version) throws IOException {
        Path aliases = Files.createDirectories(root.resolve(model).resolve("aliases"));
        Path tmp = Files.createTempFile(aliases, "." + alias, ".tmp");
        Files.writeString(tmp, version + "\n");
        Files.move(tmp, aliases.resolve(alias), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * A tag of the registered model itself ({@code <root>/<model>/tags/<key>}); empty when the
     * model or the tag does not exist.
     */
    public Optional<String> modelTag(String model, String key) {
        Path file = root.resolve(model).resolve("tags").resolve(tagFile(key));
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            throw new RegistryException(Kind.ERROR, "Cannot read tag file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Sets a tag of the registered model, atomically (write then rename). */
    public void setModelTag(String model, String key, String value) throws IOException {
        Path tags = Files.createDirectories(root.resolve(model).resolve("tags"));
        Path tmp = Files.createTempFile(tags, ".tag", ".tmp");
        Files.writeString(tmp, value);
        Files.move(tmp, tags.resolve(tagFile(key)), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private static String tagFile(String key) {
        if (!key.matches("[A-Za-z0-9_.-]+") || key.startsWith(".")) {
            throw new IllegalArgumentException("a tag key is letters, digits, '_', '.' and '-', not starting with '.': "
                    + key);
        }
        return key;
    }

    /** The version an alias points at. */
    public String versionOf(String model, String alias) {
        Path modelDir = requireModel(model);
        Path file = modelDir.resolve("aliases").resolve(alias);
        if (!Files.isRegularFile(file)) {
            throw new RegistryException(Kind.ALIAS_NOT_FOUND,
                    "Model '" + model + "' has no alias '" + alias + "' in the local registry at " + root + ".");
        }
        try {
            String version = Files.readString(file).trim();
            if (!version.matches("[1-9][0-9]*")) {
                throw new RegistryException(Kind.ERROR,
                        "Alias file " + file + " should hold a version number, not '" + version + "'.");
            }
            return version;
        } catch (IOException e) {
            throw new RegistryException(Kind.ERROR, "Cannot read alias file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Where a version's package is (whether or not it exists). */
    public Path directory(String model, String version) {
        return root.resolve(model).resolve("versions").resolve(version);
    }

    /** A version that exists; its source is the package directory as a file URI. */
    public RegisteredVersion version(String model, String version) {
        Path versionDir = requireModel(model).resolve("versions").resolve(version);
        if (!Files.isDirectory(versionDir)) {
            throw new RegistryException(Kind.VERSION_NOT_FOUND,
                    "Model '" + model + "' has no version " + version + " in the local registry at " + root + ".");
        }
        return new RegisteredVersion(model, version, versionDir.toAbsolutePath().toUri().toString(), null);
    }

    private Path requireModel(String model) {
        Path modelDir = root.resolve(model);
        if (!Files.isDirectory(modelDir)) {
            throw new RegistryException(Kind.REGISTERED_MODEL_NOT_FOUND,
                    "The local registry at " + root + " has no model '" + model + "'.");
        }
        return modelDir;
    }

    private static int latest(Path versions) throws IOException {
        try (Stream<Path> list = Files.list(versions)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.matches("[1-9][0-9]*"))
                    .mapToInt(Integer::parseInt).max().orElse(0);
        }
    }
}
