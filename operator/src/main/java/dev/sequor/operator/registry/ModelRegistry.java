package dev.sequor.operator.registry;

import dev.sequor.api.v1alpha1.RegistryModelRef;
import dev.sequor.api.v1alpha1.ResolvedModel;

/** A model registry: turns a name plus version or alias into one immutable package location. */
public interface ModelRegistry {

    ResolvedModel resolve(RegistryModelRef ref) throws ModelResolutionException;

    /** Points {@code alias} of the registered model at {@code version} (a promotion). */
    void setAlias(String name, String alias, String version) throws ModelResolutionException;
}
