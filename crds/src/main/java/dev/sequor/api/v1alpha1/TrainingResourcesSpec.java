package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Compute for the training pod. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingResourcesSpec(
        @JsonPropertyDescription("NVIDIA GPUs (default 0: the trainer runs on CPU).")
        @Min(0)
        @Max(16)
        Integer gpu,

        @JsonPropertyDescription("CPU as a Kubernetes quantity (default \"2\").")
        @Pattern(ResourcesSpec.QUANTITY)
        String cpu,

        @JsonPropertyDescription("Memory as a Kubernetes quantity (default \"4Gi\").")
        @Pattern(ResourcesSpec.QUANTITY)
        String memory) {
}
