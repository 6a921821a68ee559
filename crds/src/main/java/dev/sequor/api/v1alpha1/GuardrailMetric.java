package dev.sequor.api.v1alpha1;

/** Guardrails with a built-in query over the runtime's metrics (docs/rollouts.md gives each PromQL). */
public enum GuardrailMetric {
    /** Server errors per request the candidate answered. */
    ErrorRate,
    /** 99th percentile of the candidate's request time, in seconds. */
    LatencyP99,
    /** Requests the candidate failed or answered too late (the champion answered instead), per request sent to it. */
    FallbackRate,
    /** Mean overlap@k of the shadow's lists with what callers got (0..1); set a min. */
    ShadowOverlap
}
