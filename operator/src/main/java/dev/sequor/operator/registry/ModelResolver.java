package dev.sequor.operator.registry;

import static dev.sequor.api.v1alpha1.Reason.*;

import dev.sequor.api.v1alpha1.ModelSource;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.RegistryModelRef;
import dev.sequor.api.v1alpha1.ResolvedModel;
import dev.sequor.modelpackage.mlflow.MlflowCredentials;
import dev.sequor.operator.model.ModelPackage;
import dev.sequor.operator.model.RetrainingJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns spec.model into a {@link ModelPackage}. A registry reference goes to MLflow (the
 * resource's trackingUri, else the operator's), or to the local directory registry when no
 * MLflow is configured; a direct URI is taken as is.
 */
public final class ModelResolver {

    private static final String MODELS_SCHEME = "models:/";
    private static final int MAX_CLIENTS = 64;

    private final Optional<String> defaultTrackingUri;
    private final Optional<Path> localRegistryRoot;
    private final Duration timeout;
    private final Map<ClientKey, MlflowModelRegistry> registries = new ConcurrentHashMap<>();

    public ModelResolver(Optional<String> defaultTrackingUri, Optional<Path> localRegistryRoot, Duration timeout) {
        this.defaultTrackingUri = defaultTrackingUri;
        this.localRegistryRoot = localRegistryRoot;
        this.timeout = timeout;
    }

    /** Where a training Job of this registered model registers: its MLflow, else the local registry. */
    public Optional<RetrainingJob.RegistryTarget> trainingTarget(RegistryModelRef ref) {
        Optional<String> trackingUri = Optional.ofNullable(ref.trackingUri()).or(() -> defaultTrackingUri);
        if (trackingUri.isPresent()) {
            return Optional.of(new RetrainingJob.RegistryTarget(trackingUri.get(), null));
        }
        return localRegistryRoot.map(root -> new RetrainingJob.RegistryTarget(null, root));
    }

    /**
     * A tag of the registered model the resource's registry reference names, from the registry its
     * training Jobs register into (MLflow, else the local registry); empty without one.
     */
    public Optional<String> modelTag(RegistryModelRef ref, String namespace, SecretLookup secrets, String key) {
        if (ref == null) {
            return Optional.empty();
        }
        Optional<String> trackingUri = Optional.ofNullable(ref.trackingUri()).or(() -> defaultTrackingUri);
        if (trackingUri.isPresent()) {
            return mlflow(trackingUri.get(), credentials(namespace, ref, secrets)).modelTag(ref.name(), key);
        }
        return localRegistryRoot.flatMap(root -> new LocalDirectoryRegistry(root).modelTag(ref.name(), key));
    }

    public ModelPackage resolve(RecommenderModel model, SecretLookup secrets) {
        return resolve(model.getSpec().model(), model.getMetadata().getNamespace(), secrets);
    }

    /** Resolves one model source (spec.model, or a candidate's) of a resource in {@code namespace}. */
    public ModelPackage resolve(ModelSource source, String namespace, SecretLookup secrets) {
        if (source.uri() != null && !source.uri().startsWith(MODELS_SCHEME)) {
            String uri = source.uri();
            boolean throughMlflow = uri.startsWith("runs:/") || uri.startsWith("mlflow-artifacts:/");
            if (throughMlflow && defaultTrackingUri.isEmpty()) {
                throw new ModelResolutionException(NO_REGISTRY_CONFIGURED, "spec.model.uri " + uri
                        + " is read through MLflow, but the operator has no sequor.registry.mlflow.tracking-uri.");
            }
            return new ModelPackage(new ResolvedModel(null, null, null, uri),
                    throughMlflow ? defaultTrackingUri.get() : null, null);
        }
        // A models:/ URI is a registry reference written as a URI: resolved here, once, and pinned in
        // the pods, so every pod serves the version status reports.
        RegistryModelRef ref = source.uri() != null ? modelsUri(source.uri()) : source.registry();
        Optional<String> trackingUri = Optional.ofNullable(ref.trackingUri()).or(() -> defaultTrackingUri);
        if (trackingUri.isPresent()) {
            MlflowCredentials credentials = credentials(namespace, ref, secrets);
            ResolvedModel resolved = mlflow(trackingUri.get(), credentials).resolve(ref);
            return new ModelPackage(resolved, trackingUri.get(), ref.credentialsSecret());
        }
        if (localRegistryRoot.isPresent()) {
            return new ModelPackage(new LocalDirectoryRegistry(localRegistryRoot.get()).resolve(ref), null, null);
        }
        throw new ModelResolutionException(NO_REGISTRY_CONFIGURED, "spec.model.registry names no trackingUri and the "
                + "operator has neither sequor.registry.mlflow.tracking-uri nor sequor.registry.local.root.");
    }

    /**
     * Points {@code alias} of the registry model {@code source} names at {@code version}: the
     * promotion of a registry-driven rollout, in MLflow or the local registry.
     */
    public void setAlias(ModelSource source, String namespace, SecretLookup secrets, String alias, String version) {
        RegistryModelRef ref = source.uri() != null ? modelsUri(source.uri()) : source.registry();
        Optional<String> trackingUri = Optional.ofNullable(ref.trackingUri()).or(() -> defaultTrackingUri);
        if (trackingUri.isPresent()) {
            mlflow(trackingUri.get(), credentials(namespace, ref, secrets)).setAlias(ref.name(), alias, version);
        } else if (localRegistryRoot.isPresent()) {
            new LocalDirectoryRegistry(localRegistryRoot.get()).setAlias(ref.name(), alias, version);
        } else {
            throw new ModelResolutionException(NO_REGISTRY_CONFIGURED, "no registry to move alias " + alias + " in.");
        }
    }

    /**
     * One client per server and credentials, kept across reconciliations: each holds an HTTP
     * client with its own connection pool and selector thread, too much to make per resolution.
     */
    private MlflowModelRegistry mlflow(String trackingUri, MlflowCredentials credentials) {
        if (registries.size() > MAX_CLIENTS) {
            registries.clear(); // rotated credentials leave old entries behind; start over rather than grow
        }
        return registries.computeIfAbsent(new ClientKey(trackingUri, credentials),
                k -> new MlflowModelRegistry(k.trackingUri(), k.credentials(), timeout));
    }

    private record ClientKey(String trackingUri, MlflowCredentials credentials) {
    }

    /** models:/name/version or models:/name@alias as the registry reference it stands for. */
    static RegistryModelRef modelsUri(String uri) {
        String ref = uri.substring(MODELS_SCHEME.length()).replaceAll("/+$", "");
        int at = ref.lastIndexOf('@');
        if (at > 0) {
            return new RegistryModelRef(ref.substring(0, at), null, ref.substring(at + 1), null, null);
        }
        int slash = ref.lastIndexOf('/');
        if (slash > 0 && ref.substring(slash + 1).matches("[1-9][0-9]*")) {
            return new RegistryModelRef(ref.substring(0, slash), ref.substring(slash + 1), null, null, null);
        }
        throw new ModelResolutionException(INVALID_MODEL_URI, "spec.model.uri " + uri
                + " should be models:/name/version or models:/name@alias.");
    }

    private static MlflowCredentials credentials(String namespace, RegistryModelRef ref, SecretLookup secrets) {
        if (ref.credentialsSecret() == null) {
            return MlflowCredentials.NONE;
        }
        return secrets.find(namespace, ref.credentialsSecret())
                .map(MlflowCredentials::from)
                .orElseThrow(() -> new ModelResolutionException(CREDENTIALS_SECRET_NOT_FOUND,
                        "Secret '" + ref.credentialsSecret() + "' (spec.model.registry.credentialsSecret) does not "
                                + "exist in namespace " + namespace + "."));
    }
}
