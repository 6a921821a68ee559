package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The router pods behind the model's Service: they assign users to variants and forward. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RouterSpec(
        @JsonPropertyDescription("Router pods (default 2: one may be drained while the other serves).")
        @Min(1)
        @Max(100)
        Integer replicas) {

    public static final int DEFAULT_REPLICAS = 2;

    public int replicasOrDefault() {
        return replicas != null ? replicas : DEFAULT_REPLICAS;
    }
}
