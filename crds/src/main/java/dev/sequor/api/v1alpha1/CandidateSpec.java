package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A version served beside the champion. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.name != 'champion'", message = "a candidate cannot be named champion")
public record CandidateSpec(
        @Required
        @JsonPropertyDescription("The variant's name: the variant metric label and response header, e.g. "
                + "candidate, b, c.")
        @Pattern("^[a-z]([-a-z0-9]{0,14}[a-z0-9])?$")
        String name,

        @Required
        @JsonPropertyDescription("Which model version the variant serves, as in spec.model.")
        ModelSource model,

        @JsonPropertyDescription("Percent of users (0..100) assigned to this variant; default 0.")
        @Min(0)
        @Max(100)
        Integer weight) {

    public int weightOrZero() {
        return weight != null ? weight : 0;
    }
}
