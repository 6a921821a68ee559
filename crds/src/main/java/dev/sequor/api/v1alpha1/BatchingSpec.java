package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** Dynamic batching: concurrent requests are coalesced into one model run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.maxDelay) || duration(self.maxDelay) <= duration('1s')",
        message = "spec.serving.batching.maxDelay must be at most 1s: every request may wait that long")
public record BatchingSpec(
        @JsonPropertyDescription("Most requests in one model run (default: the runtime's measured default).")
        @Min(1)
        @Max(4096)
        Integer maxBatchSize,

        @JsonPropertyDescription("Longest a request waits for others to join its batch, e.g. \"2ms\" or "
                + "\"500us\", at most 1s (default: the runtime's measured default).")
        @Pattern("^[0-9]+(us|ms|s)$")
        String maxDelay) {
}
