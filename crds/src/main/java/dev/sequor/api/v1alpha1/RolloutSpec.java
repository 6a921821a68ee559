package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * The traffic split between the champion (spec.model) and candidate versions, set by hand. Every
 * user sticks to one variant: its bucket is a hash of the salt and the user key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.strategy != 'Immediate' || !has(self.candidates) || size(self.candidates) == 0",
        message = "spec.rollout: Immediate takes no candidates (everyone gets spec.model)")
@ValidationRule(value = "!(self.strategy in ['Canary', 'Shadow']) || (has(self.candidates) && size(self.candidates) == 1)",
        message = "spec.rollout: Canary and Shadow need exactly one candidate")
@ValidationRule(value = "self.strategy != 'ABTest' || (has(self.candidates) && size(self.candidates) >= 1)",
        message = "spec.rollout: ABTest needs at least one candidate")
@ValidationRule(value = "(self.strategy == 'Shadow') == has(self.shadowShare)",
        message = "spec.rollout: shadowShare is required with strategy Shadow, and only there")
@ValidationRule(value = "self.strategy != 'Shadow' || self.candidates.all(c, !has(c.weight) || c.weight == 0)",
        message = "spec.rollout: a Shadow candidate serves no users, so its weight must be 0 or unset")
@ValidationRule(value = "!has(self.candidates) || self.candidates.map(c, has(c.weight) ? c.weight : 0).sum() <= 100",
        message = "spec.rollout: candidate weights must sum to at most 100 (the champion serves the rest)")
@ValidationRule(value = "!has(self.candidates) || self.candidates.all(a, self.candidates.exists_one(b, b.name == a.name))",
        message = "spec.rollout: candidate names must be unique")
public record RolloutSpec(
        @Required
        @JsonPropertyDescription("Immediate (no experiment), Canary (one candidate, a weighted share of "
                + "users), ABTest (one or more candidates with fixed weights) or Shadow (everyone gets the "
                + "champion; a share of requests is mirrored to the candidate and compared).")
        Strategy strategy,

        @JsonPropertyDescription("The experiment's salt: users keep their variant while it stays the same; a "
                + "new salt draws them again. Defaults to the model's name.")
        @Size(max = 63)
        @Pattern("^[-_.a-zA-Z0-9]*$")
        String salt,

        @JsonPropertyDescription("Versions served beside the champion, each with its share of users. The "
                + "champion serves 100 minus their sum.")
        @Size(max = 4)
        List<CandidateSpec> candidates,

        @JsonPropertyDescription("Shadow only: the fraction of requests (0..1) also sent to the candidate.")
        @Min(0)
        @Max(1)
        Double shadowShare) {

    public List<CandidateSpec> candidatesOrEmpty() {
        return candidates != null ? candidates : List.of();
    }
}
