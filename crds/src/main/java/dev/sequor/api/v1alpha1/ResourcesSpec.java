package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** Compute for one predictor pod; requests equal limits so latency stays predictable. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.cpu) || quantity(self.cpu).isGreaterThan(quantity('0'))",
        message = "spec.serving.resources.cpu must be more than 0")
@ValidationRule(value = "!has(self.memory) || quantity(self.memory).compareTo(quantity('128Mi')) >= 0",
        message = "spec.serving.resources.memory must be at least 128Mi (the runtime does not start in less)")
public record ResourcesSpec(
        @JsonPropertyDescription("NVIDIA GPUs per pod (default 0: CPU inference). Requested as nvidia.com/gpu.")
        @Min(0)
        @Max(16)
        Integer gpu,

        @JsonPropertyDescription("CPU per pod as a Kubernetes quantity, e.g. \"2\" or \"500m\" (default \"1\").")
        @Pattern(QUANTITY)
        String cpu,

        @JsonPropertyDescription("Memory per pod as a Kubernetes quantity, e.g. \"4Gi\" (default \"2Gi\").")
        @Pattern(QUANTITY)
        String memory) {

    /** A non-negative Kubernetes quantity: digits, an optional fraction, an optional SI or binary suffix. */
    public static final String QUANTITY = "^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$";

    public int gpuOrDefault() {
        return gpu != null ? gpu : 0;
    }
}
