package dev.sequor.operator.registry;

import dev.sequor.api.v1alpha1.RegistryModelRef;
import dev.sequor.api.v1alpha1.ResolvedModel;
import java.util.Optional;

/** A model registry: turns a name plus version or alias into one immutable package location. */
public interface ModelRegistry {

    ResolvedModel resolve(RegistryModelRef ref) throws ModelResolutionException;

    /** Points {@code alias} of the registered model at {@code version} (a promotion). */
    void setAlias(String name, String alias, String version) throws ModelResolutionException;

    /** A tag of the registered model itself; empty when the model or the tag does not exist. */
    Optional<String> modelTag(String name, String key) throws ModelResolutionException;
}
