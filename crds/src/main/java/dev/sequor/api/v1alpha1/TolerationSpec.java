package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** A taint the predictor pods tolerate (the Kubernetes toleration fields). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.operator) || self.operator != 'Exists' || !has(self.value)",
        message = "a toleration with operator Exists must not set a value")
@ValidationRule(value = "!has(self.tolerationSeconds) || (has(self.effect) && self.effect == 'NoExecute')",
        message = "tolerationSeconds applies only to effect NoExecute")
public record TolerationSpec(
        @JsonPropertyDescription("Taint key; empty with operator Exists matches every taint.")
        String key,

        @JsonPropertyDescription("Equal (default) or Exists.")
        @Pattern("^(Equal|Exists)$")
        String operator,

        @JsonPropertyDescription("Taint value to match with operator Equal.")
        String value,

        @JsonPropertyDescription("NoSchedule, PreferNoSchedule or NoExecute; empty matches all effects.")
        @Pattern("^(NoSchedule|PreferNoSchedule|NoExecute)$")
        String effect,

        @JsonPropertyDescription("With NoExecute: how long the pod stays bound after the taint appears.")
        @Min(0)
        Long tolerationSeconds) {
}
