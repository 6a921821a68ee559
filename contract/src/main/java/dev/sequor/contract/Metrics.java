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

    // Counted where a request enters (the router, or a predictor called directly), per
    // model/version/variant: counters and histograms that add up across pods. docs/metrics.md
    // gives the PromQL for the rates.

    /** Requests answered, by {@link #API}. */
    public static final String REQUESTS_TOTAL = "sequor_requests_total";
    /** Requests answered with a server error (5xx / UNAVAILABLE), by {@link #API}. */
    public static final String REQUEST_ERRORS_TOTAL = "sequor_request_errors_total";
    /** Time from a request's arrival to its answer, by {@link #API}. */
    public static final String REQUEST_SECONDS = "sequor_request_seconds";
    /**
     * Requests a candidate failed or answered too late and the champion answered instead; the
     * labels name the candidate that failed.
     */
    public static final String FALLBACKS_TOTAL = "sequor_fallbacks_total";
    /** Recommendation lists returned (the denominator of hit rate and click-through). */
    public static final String RECOMMENDATIONS_SERVED_TOTAL = "sequor_recommendations_served_total";
    /** Feedback events, by {@link #EVENT}, attributed to the variant that served the user. */
    public static final String FEEDBACK_EVENTS_TOTAL = "sequor_feedback_events_total";
    /** Feedback events whose item was in the top-k served to that user, by {@link #EVENT}. */
    public static final String FEEDBACK_HITS_TOTAL = "sequor_feedback_hits_total";
    /** Shadow requests, by {@link #OUTCOME} (compared, error); labels name the shadow variant. */
    public static final String SHADOW_COMPARISONS_TOTAL = "sequor_shadow_comparisons_total";
    /** Overlap@k of the shadow's list with the answer the caller got (summary: _sum / _count). */
    public static final String SHADOW_OVERLAP = "sequor_shadow_overlap";
    /** Rank-biased overlap (p = 0.9) of the shadow's list with the caller's answer. */
    public static final String SHADOW_RANK_BIASED_OVERLAP = "sequor_shadow_rank_biased_overlap";
    /** Latency of both sides of a shadow comparison, by {@link #SIDE}. */
    public static final String SHADOW_LATENCY_SECONDS = "sequor_shadow_latency_seconds";
    /**
     * Requests in flight, by {@link #ROLE}: a router's forwarded requests not yet answered, a
     * predictor's queue of requests waiting for a model run. What KEDA scales each Deployment on.
     */
    public static final String IN_FLIGHT = "sequor_in_flight_requests";
    /** Router: the weight (percent) each variant has in the split it applies now. */
    public static final String SPLIT_WEIGHT = "sequor_split_weight";
    /** Router: split files refused (invalid); the router keeps the last valid split. */
    public static final String SPLIT_REJECTED_TOTAL = "sequor_split_rejected_total";
    /** Router: 1 while the backend answers its readiness probe. */
    public static final String BACKEND_UP = "sequor_backend_up";

    /** Label: the event type of feedback. */
    public static final String EVENT = "event";
    /** Feedback event type: the user was shown the list (the denominator of click-through). */
    public static final String IMPRESSION = "impression";
    /** The feedback event types the runtime accepts: the values of {@link #EVENT}. */
    public static final java.util.List<String> EVENT_TYPES = java.util.List.of(IMPRESSION, "click", "interaction");
    /** Label: recommendations (REST), oip_rest, oip_grpc. */
    public static final String API = "api";
    /** Label of {@link #SHADOW_COMPARISONS_TOTAL}: compared or error. */
    public static final String OUTCOME = "outcome";
    /** Label of {@link #IN_FLIGHT}: router or predictor ({@link Role}). */
    public static final String ROLE = "role";
    /** Label of {@link #SHADOW_LATENCY_SECONDS}: primary or shadow. */
    public static final String SIDE = "side";
    /** Labels of {@link #MODEL_INFO}. */
    public static final String PROVIDER = "provider";
    public static final String URI = "uri";

    private Metrics() {
    }
}
