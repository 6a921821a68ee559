package dev.sequor.operator.registry;

import dev.sequor.api.v1alpha1.Reason;
import dev.sequor.api.v1alpha1.RegistryModelRef;
import dev.sequor.api.v1alpha1.ResolvedModel;
import dev.sequor.modelpackage.LocalRegistry;
import dev.sequor.modelpackage.RegisteredVersion;
import dev.sequor.modelpackage.RegistryException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** The embedded registry that needs no server: a directory in {@link LocalRegistry}'s layout. */
public final class LocalDirectoryRegistry implements ModelRegistry {

    private final LocalRegistry registry;

    public LocalDirectoryRegistry(Path root) {
        this.registry = new LocalRegistry(root);
    }

    @Override
    public ResolvedModel resolve(RegistryModelRef ref) {
        try {
            String version = ref.version() != null ? ref.version() : registry.versionOf(ref.name(), ref.alias());
            RegisteredVersion v = registry.version(ref.name(), version);
            return new ResolvedModel(ref.name(), v.version(), ref.alias(), v.source());
        } catch (RegistryException e) {
            throw ModelResolutionException.of(e);
        }
    }

    @Override
    public void setAlias(String name, String alias, String version) {
        try {
            registry.setAlias(name, alias, version);
        } catch (RegistryException e) {
            throw ModelResolutionException.of(e);
        } catch (IOException e) {
            throw new ModelResolutionException(Reason.REGISTRY_ERROR, "could not move alias " + alias + " of " + name
                    + " in the local registry: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> modelTag(String name, String key) {
        try {
            return registry.modelTag(name, key);
        } catch (RegistryException e) {
            throw ModelResolutionException.of(e);
        }
    }
}
