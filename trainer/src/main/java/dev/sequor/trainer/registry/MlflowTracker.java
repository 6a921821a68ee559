package dev.sequor.trainer.registry;

import dev.sequor.modelpackage.RegisteredVersion;
import dev.sequor.modelpackage.mlflow.MlflowCredentials;
import dev.sequor.modelpackage.mlflow.MlflowRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * Tracks a training run in MLflow with the Java mlflow-client (parameters, per-epoch metrics,
 * tags); uploads the model package through the tracking server's artifact proxy and registers it
 * with Sequor's registry client ({@link MlflowRegistry}). Credentials come from
 * MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD.
 */
public final class MlflowTracker implements AutoCloseable {

    private final String trackingUri;
    private final MlflowClient client;
    private final MlflowRegistry registry;
    private RunInfo run;

    public MlflowTracker(String trackingUri, Map<String, String> env) {
        this.trackingUri = trackingUri.replaceAll("/+$", "");
        MlflowCredentials credentials = MlflowCredentials.from(env);
        this.registry = new MlflowRegistry(this.trackingUri, credentials, Duration.ofSeconds(30));
        this.client = new MlflowClient(hostCreds(this.trackingUri, credentials));
    }

    /** Starts a run in the named experiment (created when missing) and returns its id. */
    public String startRun(String experiment, String runName) {
        String experimentId = client.getExperimentByName(experiment)
                .map(e -> e.getExperimentId())
                .orElseGet(() -> client.createExperiment(experiment));
        run = client.createRun(org.mlflow.api.proto.Service.CreateRun.newBuilder()
                .setExperimentId(experimentId).setRunName(runName)
                .setStartTime(System.currentTimeMillis()).build());
        registry.proxyUrl(run.getArtifactUri()); // refuses a server that does not proxy artifacts, before training
        return run.getRunId();
    }

    public void logParams(Map<String, ?> params) {
        params.forEach((k, v) -> client.logParam(run.getRunId(), k, String.valueOf(v)));
    }

    public void logMetric(String key, double value, int step) {
        client.logMetric(run.getRunId(), key, value, System.currentTimeMillis(), step);
    }

    public void setTag(String key, String value) {
        client.setTag(run.getRunId(), key, value);
    }

    /** Uploads files under the run's artifacts, into {@code artifactDir}. */
    public void uploadArtifacts(String artifactDir, Iterable<Path> files) {
        for (Path file : files) {
            registry.uploadArtifact(run.getArtifactUri(), artifactDir + "/" + file.getFileName(), file);
        }
    }

    /** Registers the run's {@code artifactDir} as a new version (creating the model) and returns its number. */
    public String registerVersion(String model, String artifactDir, Map<String, String> tags) {
        RegisteredVersion version = registry.createVersion(model, run.getArtifactUri() + "/" + artifactDir,
                run.getRunId(), tags);
        return version.version();
    }

    public void setAlias(String model, String alias, String version) {
        registry.setAlias(model, alias, version);
    }

    /** The package an alias points at, downloaded under {@code cacheDir}; empty when the alias is not set. */
    public java.util.Optional<Path> packageOf(String model, String alias, Path cacheDir) {
        try {
            return java.util.Optional.of(registry.downloadPackage(registry.resolve(model, null, alias).source(), cacheDir));
        } catch (dev.sequor.modelpackage.RegistryException e) {
            if (e.kind() == dev.sequor.modelpackage.RegistryException.Kind.ALIAS_NOT_FOUND
                    || e.kind() == dev.sequor.modelpackage.RegistryException.Kind.REGISTERED_MODEL_NOT_FOUND) {
                return java.util.Optional.empty();
            }
            throw e;
        }
    }

    public void finish(boolean success) {
        if (run != null) {
            client.setTerminated(run.getRunId(), success ? RunStatus.FINISHED : RunStatus.FAILED);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    private static BasicMlflowHostCreds hostCreds(String trackingUri, MlflowCredentials credentials) {
        if (credentials.token() != null) {
            return new BasicMlflowHostCreds(trackingUri, credentials.token());
        }
        if (credentials.username() != null) {
            return new BasicMlflowHostCreds(trackingUri, credentials.username(), credentials.password());
        }
        return new BasicMlflowHostCreds(trackingUri);
    }
}
