package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** How many items a request gets back. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.default) || !has(self.max) || self.default <= self.max",
        message = "spec.serving.topK: default must not exceed max")
public record TopKSpec(
        @JsonProperty("default")
        @JsonPropertyDescription("Items returned when a request does not say (default 10).")
        @Min(1)
        @Max(10000)
        Integer defaultK,

        @JsonPropertyDescription("Most items a request may ask for (default 200); larger asks get a 400.")
        @Min(1)
        @Max(10000)
        Integer max) {
}
