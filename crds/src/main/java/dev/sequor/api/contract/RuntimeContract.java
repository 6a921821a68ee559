package dev.sequor.api.contract;

/**
 * How a serving pod learns what to serve: the environment the operator sets and the inference
 * runtime reads. Documented in docs/runtime-contract.md; both sides use these names.
 */
public final class RuntimeContract {

    /** Name of the RecommenderModel the pod serves; the {@code model} metric label. */
    public static final String MODEL_NAME = "SEQUOR_MODEL_NAME";
    /** Registry version of the package, empty for a direct URI; the {@code version} metric label. */
    public static final String MODEL_VERSION = "SEQUOR_MODEL_VERSION";
    /** Location of the model package: file://, https://, models:/, runs:/ or mlflow-artifacts:/. */
    public static final String MODEL_URI = "SEQUOR_MODEL_URI";
    /** Role of the pod in a rollout (champion for now); the {@code variant} metric label. */
    public static final String VARIANT = "SEQUOR_VARIANT";
    /** Writable directory where the runtime unpacks downloaded packages. */
    public static final String MODEL_CACHE_DIR = "SEQUOR_MODEL_CACHE_DIR";
    /** Dynamic batching: most requests per model run. Unset: the runtime default. */
    public static final String BATCH_MAX_SIZE = "SEQUOR_BATCH_MAX_SIZE";
    /** Dynamic batching: longest wait for a batch to fill, e.g. 2ms. Unset: the runtime default. */
    public static final String BATCH_MAX_DELAY = "SEQUOR_BATCH_MAX_DELAY";
    /** Items returned when a request does not say. */
    public static final String TOPK_DEFAULT = "SEQUOR_TOPK_DEFAULT";
    /** Most items a request may ask for. */
    public static final String TOPK_MAX = "SEQUOR_TOPK_MAX";
    /** MLflow tracking server for models:/, runs:/ and mlflow-artifacts:/ URIs. */
    public static final String MLFLOW_TRACKING_URI = "MLFLOW_TRACKING_URI";
    public static final String MLFLOW_TRACKING_TOKEN = "MLFLOW_TRACKING_TOKEN";
    public static final String MLFLOW_TRACKING_USERNAME = "MLFLOW_TRACKING_USERNAME";
    public static final String MLFLOW_TRACKING_PASSWORD = "MLFLOW_TRACKING_PASSWORD";

    public static final int HTTP_PORT = 8080;
    public static final int GRPC_PORT = 9000;
    public static final String LIVENESS_PATH = "/q/health/live";
    public static final String READINESS_PATH = "/q/health/ready";
    public static final String STARTUP_PATH = "/q/health/started";
    public static final String METRICS_PATH = "/q/metrics";
    public static final String CACHE_MOUNT = "/var/cache/sequor";
    /** Where a pvc:// model source is mounted read-only. */
    public static final String PVC_MOUNT = "/mnt/models";

    private RuntimeContract() {
    }
}
