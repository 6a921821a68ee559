package dev.sequor.operator.registry;

import static dev.sequor.api.v1alpha1.Reason.*;

import dev.sequor.api.v1alpha1.RegistryModelRef;
import dev.sequor.api.v1alpha1.ResolvedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded registry that needs no server: a directory laid out as
 * {@code <root>/<model>/versions/<n>/} (one model package each) and
 * {@code <root>/<model>/aliases/<alias>} (a file holding a version number).
 */
public final class LocalDirectoryRegistry implements ModelRegistry {

    private final Path root;

    public LocalDirectoryRegistry(Path root) {
        this.root = root;
    }

    @Override
    public ResolvedModel resolve(RegistryModelRef ref) {
        Path modelDir = root.resolve(ref.name());
        if (!Files.isDirectory(modelDir)) {
            throw new ModelResolutionException(REGISTERED_MODEL_NOT_FOUND,
                    "The local registry at " + root + " has no model '" + ref.name() + "'.");
        }
        String version = ref.version() != null ? ref.version() : readAlias(modelDir, ref);
        Path versionDir = modelDir.resolve("versions").resolve(version);
        if (!Files.isDirectory(versionDir)) {
            throw new ModelResolutionException(MODEL_VERSION_NOT_FOUND,
                    "Model '" + ref.name() + "' has no version " + version + " in the local registry at " + root + ".");
        }
        return new ResolvedModel(ref.name(), version, ref.alias(), versionDir.toAbsolutePath().toUri().toString());
    }

    private String readAlias(Path modelDir, RegistryModelRef ref) {
        Path alias = modelDir.resolve("aliases").resolve(ref.alias());
        if (!Files.isRegularFile(alias)) {
            throw new ModelResolutionException(ALIAS_NOT_FOUND,
                    "Model '" + ref.name() + "' has no alias '" + ref.alias() + "' in the local registry at " + root + ".");
        }
        try {
            String version = Files.readString(alias).trim();
            if (!version.matches("[1-9][0-9]*")) {
                throw new ModelResolutionException(REGISTRY_ERROR,
                        "Alias file " + alias + " should hold a version number, not '" + version + "'.");
            }
            return version;
        } catch (IOException e) {
            throw new ModelResolutionException(REGISTRY_ERROR, "Cannot read alias file " + alias + ": " + e.getMessage(), e);
        }
    }
}
