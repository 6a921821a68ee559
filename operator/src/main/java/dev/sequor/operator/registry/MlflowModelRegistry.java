package dev.sequor.operator.registry;

import static dev.sequor.api.v1alpha1.Reason.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequor.api.v1alpha1.Reason;
import dev.sequor.api.v1alpha1.RegistryModelRef;
import dev.sequor.api.v1alpha1.ResolvedModel;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.ModelVersionStatus;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * The MLflow Model Registry through the Java mlflow-client: versions with its typed API, aliases
 * with its REST passthrough (the typed API predates aliases).
 */
public final class MlflowModelRegistry implements ModelRegistry {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String trackingUri;
    private final RegistryCredentials credentials;
    private final Duration timeout;
    private final ExecutorService executor;

    public MlflowModelRegistry(String trackingUri, RegistryCredentials credentials, Duration timeout,
            ExecutorService executor) {
        this.trackingUri = trackingUri;
        this.credentials = credentials;
        this.timeout = timeout;
        this.executor = executor;
    }

    @Override
    public ResolvedModel resolve(RegistryModelRef ref) {
        // The client sets no socket timeouts of its own; a hung server must not hang the reconciler.
        CompletableFuture<ResolvedModel> call = CompletableFuture.supplyAsync(() -> resolveNow(ref), executor);
        try {
            return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new ModelResolutionException(REGISTRY_UNREACHABLE,
                    "MLflow at " + trackingUri + " did not answer within " + timeout.toSeconds() + "s.", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ModelResolutionException mre) {
                throw mre;
            }
            throw new ModelResolutionException(REGISTRY_ERROR, "MLflow lookup failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelResolutionException(REGISTRY_UNREACHABLE, "Interrupted while asking MLflow.", e);
        }
    }

    private ResolvedModel resolveNow(RegistryModelRef ref) {
        try (MlflowClient client = new MlflowClient(hostCreds())) {
            String version = ref.version() != null ? ref.version() : versionForAlias(client, ref);
            ModelVersion mv = modelVersion(client, ref, version);
            if (mv.getStatus() != ModelVersionStatus.READY) {
                throw new ModelResolutionException(MODEL_VERSION_NOT_READY, "Version " + version + " of registered model '"
                        + ref.name() + "' is " + mv.getStatus() + ", not READY.");
            }
            return new ResolvedModel(ref.name(), mv.getVersion(), ref.alias(), mv.getSource());
        }
    }

    private String versionForAlias(MlflowClient client, RegistryModelRef ref) {
        try {
            String body = client.sendGet("registered-models/alias?name=" + encode(ref.name())
                    + "&alias=" + encode(ref.alias()));
            JsonNode version = JSON.readTree(body).path("model_version").path("version");
            if (version.isMissingNode()) {
                throw new ModelResolutionException(REGISTRY_ERROR, "MLflow answered the alias lookup without a version: "
                        + body);
            }
            return version.asText();
        } catch (MlflowHttpException e) {
            throw notFoundOr(e, client, ref, ALIAS_NOT_FOUND, "Registered model '" + ref.name()
                    + "' has no alias '" + ref.alias() + "'. Set it in MLflow or use spec.model.registry.version.");
        } catch (MlflowClientException e) {
            throw unreachable(e);
        } catch (IOException e) {
            throw new ModelResolutionException(REGISTRY_ERROR, "MLflow answered with malformed JSON: " + e.getMessage(), e);
        }
    }

    private ModelVersion modelVersion(MlflowClient client, RegistryModelRef ref, String version) {
        try {
            return client.getModelVersion(ref.name(), version);
        } catch (MlflowHttpException e) {
            throw notFoundOr(e, client, ref, MODEL_VERSION_NOT_FOUND, "Registered model '" + ref.name()
                    + "' has no version " + version + ".");
        } catch (MlflowClientException e) {
            throw unreachable(e);
        }
    }

    /** A missing version or alias is told apart from a missing registered model. */
    private ModelResolutionException notFoundOr(MlflowHttpException e, MlflowClient client, RegistryModelRef ref,
            Reason reason, String message) {
        if (e.getStatusCode() == 401 || e.getStatusCode() == 403) {
            return new ModelResolutionException(REGISTRY_ACCESS_DENIED, "MLflow at " + trackingUri + " refused access ("
                    + e.getStatusCode() + "). Check spec.model.registry.credentialsSecret.", e);
        }
        // MLflow answers a missing alias with 400 INVALID_PARAMETER_VALUE "... not found", not 404.
        boolean notFound = e.getStatusCode() == 404
                || (e.getStatusCode() == 400 && String.valueOf(e.getBodyMessage()).contains("not found"));
        if (!notFound) {
            return new ModelResolutionException(REGISTRY_ERROR, "MLflow at " + trackingUri + " answered "
                    + e.getStatusCode() + ": " + e.getBodyMessage(), e);
        }
        try {
            client.getRegisteredModel(ref.name());
        } catch (MlflowHttpException missing) {
            if (missing.getStatusCode() == 404) {
                return new ModelResolutionException(REGISTERED_MODEL_NOT_FOUND, "MLflow at " + trackingUri
                        + " has no registered model '" + ref.name() + "'.", missing);
            }
        } catch (MlflowClientException unreachable) {
            return unreachable(unreachable);
        }
        return new ModelResolutionException(reason, message, e);
    }

    private ModelResolutionException unreachable(MlflowClientException e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return new ModelResolutionException(REGISTRY_UNREACHABLE, "Cannot reach MLflow at " + trackingUri + ": "
                + root.getClass().getSimpleName() + (root.getMessage() != null ? " " + root.getMessage() : ""), e);
    }

    private BasicMlflowHostCreds hostCreds() {
        if (credentials.token() != null) {
            return new BasicMlflowHostCreds(trackingUri, credentials.token());
        }
        if (credentials.username() != null) {
            return new BasicMlflowHostCreds(trackingUri, credentials.username(), credentials.password());
        }
        return new BasicMlflowHostCreds(trackingUri);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
