package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Horizontal autoscaling of the predictor and router pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.minReplicas <= self.maxReplicas",
        message = "spec.serving.autoscaling: minReplicas must not exceed maxReplicas")
public record AutoscalingSpec(
        @Required
        @JsonPropertyDescription("Fewest predictor pods.")
        @Min(1)
        @Max(1000)
        Integer minReplicas,

        @Required
        @JsonPropertyDescription("Most predictor pods.")
        @Min(1)
        @Max(1000)
        Integer maxReplicas,

        @JsonPropertyDescription("Average CPU utilisation (percent of the request) to keep the pods at "
                + "(default 70).")
        @Min(1)
        @Max(100)
        Integer targetCPUUtilizationPercentage,

        @JsonPropertyDescription("With KEDA installed (and the operator's sequor.keda.prometheus-url set): "
                + "requests in flight per pod to keep each Deployment at (default 16), from the runtime's "
                + "sequor_in_flight_requests gauge. Routers and every version's predictors scale on it.")
        @Min(1)
        @Max(10000)
        Integer targetInFlightRequests) {

    public static final int DEFAULT_TARGET_CPU_UTILIZATION = 70;
    public static final int DEFAULT_TARGET_IN_FLIGHT = 16;

    public int targetInFlightOrDefault() {
        return targetInFlightRequests != null ? targetInFlightRequests : DEFAULT_TARGET_IN_FLIGHT;
    }

    public int targetCpuOrDefault() {
        return targetCPUUtilizationPercentage != null
                ? targetCPUUtilizationPercentage : DEFAULT_TARGET_CPU_UTILIZATION;
    }
}
