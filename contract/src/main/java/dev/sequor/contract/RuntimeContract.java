package dev.sequor.contract;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a serving pod learns what to serve: the environment the operator sets and the inference
 * runtime reads. Documented in docs/runtime-contract.md; both sides use these names.
 *
 * <p>The runtime reads the {@code SEQUOR_*} variables through its configuration mapping
 * (MicroProfile Config maps {@code SEQUOR_MODEL_URI} to {@code sequor.model.uri}) and the
 * {@code MLFLOW_*} ones as {@code mlflow.tracking.*}; {@link #ENVIRONMENT} lists every variable
 * with the property it becomes, and tests on both sides hold them to it.
 */
public final class RuntimeContract {

    /** Name of the RecommenderModel the pod serves; the {@code model} metric label. */
    public static final String MODEL_NAME = "SEQUOR_MODEL_NAME";
    /** Registry version of the package, empty for a direct URI; the {@code version} metric label. */
    public static final String MODEL_VERSION = "SEQUOR_MODEL_VERSION";
    /** Location of the model package: file://, https://, models:/, runs:/ or mlflow-artifacts:/. */
    public static final String MODEL_URI = "SEQUOR_MODEL_URI";
    /** Role of the pod in a rollout ({@link Variant}); the {@code variant} metric label. */
    public static final String VARIANT = "SEQUOR_VARIANT";
    /** {@link Role#PREDICTOR} (serves one version; the default) or {@link Role#ROUTER}. */
    public static final String ROLE = "SEQUOR_ROLE";
    /** Router role: the traffic split file ({@code routing}'s TrafficSplit), re-read when it changes. */
    public static final String ROUTER_SPLIT_FILE = "SEQUOR_ROUTER_SPLIT_FILE";
    /**
     * Directory of the embedded durable feedback log (a volume): with it, feedback is acknowledged
     * only once it is on disk. Unset: feedback is counted in metrics only.
     */
    public static final String FEEDBACK_LOG_DIR = "SEQUOR_FEEDBACK_LOG_DIR";
    /**
     * Kafka's bootstrap servers for feedback (instead of {@link #FEEDBACK_LOG_DIR}): with them, an
     * event is acknowledged only once the broker acknowledged it ({@code acks=all}).
     */
    public static final String FEEDBACK_KAFKA_BOOTSTRAP_SERVERS = "SEQUOR_FEEDBACK_KAFKA_BOOTSTRAP_SERVERS";
    /** The model's feedback topic; unset: {@code sequor-feedback.MODEL_NAME}. */
    public static final String FEEDBACK_KAFKA_TOPIC = "SEQUOR_FEEDBACK_KAFKA_TOPIC";
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

    /**
     * Every variable of the contract and the configuration property it is read as: the property
     * name is MicroProfile Config's inverse of the environment name, with the dots where the
     * runtime's configuration tree has them.
     */
    public static final Map<String, String> ENVIRONMENT = orderedMap(
            MODEL_NAME, "sequor.model.name",
            MODEL_VERSION, "sequor.model.version",
            MODEL_URI, "sequor.model.uri",
            VARIANT, "sequor.variant",
            ROLE, "sequor.role",
            ROUTER_SPLIT_FILE, "sequor.router.split-file",
            FEEDBACK_LOG_DIR, "sequor.feedback.log-dir",
            FEEDBACK_KAFKA_BOOTSTRAP_SERVERS, "sequor.feedback.kafka.bootstrap-servers",
            FEEDBACK_KAFKA_TOPIC, "sequor.feedback.kafka.topic",
            MODEL_CACHE_DIR, "sequor.model.cache-dir",
            BATCH_MAX_SIZE, "sequor.batch.max-size",
            BATCH_MAX_DELAY, "sequor.batch.max-delay",
            TOPK_DEFAULT, "sequor.topk.default",
            TOPK_MAX, "sequor.topk.max",
            MLFLOW_TRACKING_URI, "mlflow.tracking.uri",
            MLFLOW_TRACKING_TOKEN, "mlflow.tracking.token",
            MLFLOW_TRACKING_USERNAME, "mlflow.tracking.username",
            MLFLOW_TRACKING_PASSWORD, "mlflow.tracking.password");

    public static final int HTTP_PORT = 8080;
    public static final int GRPC_PORT = 9000;
    public static final String LIVENESS_PATH = "/q/health/live";
    public static final String READINESS_PATH = "/q/health/ready";
    public static final String STARTUP_PATH = "/q/health/started";
    public static final String METRICS_PATH = "/q/metrics";
    public static final String CACHE_MOUNT = "/var/cache/sequor";
    /** Where the router's traffic split ConfigMap is mounted. */
    public static final String SPLIT_MOUNT = "/etc/sequor/split";

    /**
     * Request header the router sets towards a predictor (the variant it chose) and response
     * header every answer carries (the variant that produced it); gRPC metadata of the same name.
     */
    public static final String VARIANT_HEADER = "X-Sequor-Variant";
    /** Response header and gRPC metadata: the version that produced the answer. */
    public static final String VERSION_HEADER = "X-Sequor-Version";
    /** Default request header (and gRPC metadata) holding the user key for sticky routing. */
    public static final String USER_HEADER = "X-Sequor-User";
    /** OIP request parameter holding the user key, where the header is not set. */
    public static final String USER_PARAMETER = "user_id";
    /** OIP response parameter naming the variant that answered. */
    public static final String VARIANT_PARAMETER = "sequor_variant";
    /**
     * OIP model metadata parameter with the package's privacy record (differentialPrivacy, epsilon,
     * delta, unit, noiseMultiplier, sampleRate, steps, maxGradNorm, accountant).
     */
    public static final String PRIVACY_PARAMETER = "sequor_privacy";
    /**
     * OIP model metadata parameter: the event types of a model that reads them, in index order
     * (its {@code events} input takes 1 for the first).
     */
    public static final String EVENT_TYPES_PARAMETER = "sequor_event_types";
    /** Where a pvc:// model source is mounted read-only. */
    public static final String PVC_MOUNT = "/mnt/models";

    private RuntimeContract() {
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
