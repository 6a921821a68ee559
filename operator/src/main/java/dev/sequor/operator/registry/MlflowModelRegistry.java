package dev.sequor.operator.registry;

import dev.sequor.api.v1alpha1.RegistryModelRef;
import dev.sequor.api.v1alpha1.ResolvedModel;
import dev.sequor.modelpackage.RegisteredVersion;
import dev.sequor.modelpackage.RegistryException;
import dev.sequor.modelpackage.mlflow.MlflowCredentials;
import dev.sequor.modelpackage.mlflow.MlflowRegistry;
import java.time.Duration;
import java.util.Optional;

/** The MLflow Model Registry, through Sequor's one MLflow client (timeouts, retries, typed failures). */
public final class MlflowModelRegistry implements ModelRegistry {

    private final MlflowRegistry registry;

    public MlflowModelRegistry(String trackingUri, MlflowCredentials credentials, Duration timeout) {
        this.registry = new MlflowRegistry(trackingUri, credentials, timeout);
    }

    @Override
    public ResolvedModel resolve(RegistryModelRef ref) {
        try {
            RegisteredVersion v = registry.resolve(ref.name(), ref.version(), ref.alias());
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
