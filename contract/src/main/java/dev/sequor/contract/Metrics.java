package dev.sequor.contract;

/**
 * Names and labels of the Prometheus metrics the runtime exposes and the operator (analysis,
 * triggers) and dashboards read. Every serving metric carries {@link #MODEL}, {@link #VERSION}
 * and {@link #VARIANT}. Names here are without the suffixes Prometheus adds ({@code _count},
 * {@code _sum}, {@code _bucket}).
 */
public final class Metrics {

    public static final String MODEL = "model";
    public static final String VERSION = "version";
    public static final String VARIANT = "variant";

    /** 1 when a model is loaded and serving. */
    public static final String MODEL_READY = "sequor_model_ready";
    /** Seconds the last model load took (fetch, checks, warm-up). */
    public static final String MODEL_LOAD_SECONDS = "sequor_model_load_seconds";
    /** 1 for the loaded model, with its execution provider and URI as labels. */
    public static final String MODEL_INFO = "sequor_model_info";
    /** Requests in one model run. */
    public static final String BATCH_SIZE = "sequor_batch_size";
    /** Time of one model run. */
    public static final String INFERENCE_SECONDS = "sequor_inference_seconds";
    /** Time a request waited for its batch. */
    public static final String QUEUE_WAIT_SECONDS = "sequor_queue_wait_seconds";
    /** Requests answered 503 because they waited longer than the inference timeout. */
    public static final String REQUESTS_EXPIRED_TOTAL = "sequor_requests_expired_total";
    /** History items the model's vocabulary does not know (dropped from the request). */
    public static final String UNKNOWN_ITEMS_TOTAL = "sequor_unknown_items_total";
    /** Feedback events received, by {@link #EVENT} and {@link #RECOMMENDED}. */
    public static final String FEEDBACK_EVENTS_TOTAL = "sequor_feedback_events_total";
    /** Share of impressions whose user's next action was among the recommended items. */
    public static final String ONLINE_HIT_RATE = "sequor_online_hit_rate";

    /** Label of {@link #FEEDBACK_EVENTS_TOTAL}: the event type. */
    public static final String EVENT = "event";
    /** Label of {@link #FEEDBACK_EVENTS_TOTAL}: whether the item was among the recommended ones. */
    public static final String RECOMMENDED = "recommended";
    /** Labels of {@link #MODEL_INFO}. */
    public static final String PROVIDER = "provider";
    public static final String URI = "uri";

    private Metrics() {
    }
}
