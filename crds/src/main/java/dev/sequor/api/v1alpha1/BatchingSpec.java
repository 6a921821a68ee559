package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Dynamic batching: concurrent requests are coalesced into one model run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchingSpec(
        @JsonPropertyDescription("Most requests in one model run (default: the runtime's measured default).")
        @Min(1)
        @Max(4096)
        Integer maxBatchSize,

        @JsonPropertyDescription("Longest a request waits for others to join its batch, e.g. \"2ms\" or "
                + "\"500us\" (default: the runtime's measured default).")
        @Pattern("^[0-9]+(us|ms|s)$")
        String maxDelay) {
}
