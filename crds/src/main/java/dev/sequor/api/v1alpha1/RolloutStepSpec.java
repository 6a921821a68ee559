package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** One step of an analysed rollout: the candidate's share of users and the least time it holds it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutStepSpec(
        @Required
        @JsonPropertyDescription("Percent of users the candidate serves during the step (0 for Shadow).")
        @Min(0)
        @Max(100)
        Integer weight,

        @JsonPropertyDescription("The least time at this weight before the rollout moves on (Canary), may be "
                + "promoted (ABTest), or the comparison time (Shadow), e.g. \"5m\" (default 0s).")
        @Pattern("^([0-9]+(ms|s|m|h))+$")
        String pause) {
}
