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
 * The traffic split between the champion (spec.model) and candidate versions. Set by hand
 * ({@code candidates} with weights), or run by the operator ({@code analysis}): a new version from
 * the registry's candidate alias, or from a spec.model edit, goes through {@code steps} while the
 * analysis passes, and is promoted or rolled back. Every user sticks to one variant: its bucket is
 * a hash of the salt and the user key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.strategy != 'Immediate' || !has(self.candidates) || size(self.candidates) == 0",
        message = "spec.rollout: Immediate takes no candidates (everyone gets spec.model)")
@ValidationRule(value = "has(self.analysis) || !(self.strategy in ['Canary', 'Shadow']) || (has(self.candidates) && size(self.candidates) == 1)",
        message = "spec.rollout: Canary and Shadow set by hand need exactly one candidate (or set analysis)")
@ValidationRule(value = "has(self.analysis) || self.strategy != 'ABTest' || (has(self.candidates) && size(self.candidates) >= 1)",
        message = "spec.rollout: ABTest set by hand needs at least one candidate (or set analysis)")
@ValidationRule(value = "!has(self.analysis) || self.strategy != 'Immediate'",
        message = "spec.rollout: Immediate has nothing to analyse; use Canary, ABTest or Shadow with analysis")
@ValidationRule(value = "!has(self.analysis) || !has(self.candidates) || size(self.candidates) == 0",
        message = "spec.rollout: with analysis the candidate comes from candidateAlias or a spec.model change, not candidates")
@ValidationRule(value = "has(self.analysis) == has(self.steps)",
        message = "spec.rollout: analysis and steps go together (steps say what weight the candidate serves while analysed)")
@ValidationRule(value = "!has(self.candidateAlias) || has(self.analysis)",
        message = "spec.rollout: candidateAlias starts analysed rollouts: it needs analysis")
@ValidationRule(value = "!has(self.steps) || self.strategy == 'Canary' || size(self.steps) == 1",
        message = "spec.rollout: ABTest and Shadow take exactly one step (the test's split, or the comparison time)")
@ValidationRule(value = "!has(self.steps) || self.strategy != 'Canary' || self.steps.all(s, s.weight >= 1)",
        message = "spec.rollout: every Canary step serves the candidate to at least 1% of users")
@ValidationRule(value = "!has(self.steps) || self.strategy != 'Shadow' || self.steps.all(s, s.weight == 0)",
        message = "spec.rollout: a Shadow step serves no users: its weight must be 0")
@ValidationRule(value = "!has(self.analysis) || self.strategy != 'ABTest' || has(self.analysis.quality)",
        message = "spec.rollout: an analysed ABTest is decided by analysis.quality: set it")
@ValidationRule(value = "(self.strategy == 'Shadow') == has(self.shadowShare)",
        message = "spec.rollout: shadowShare is required with strategy Shadow, and only there")
@ValidationRule(value = "self.strategy != 'Shadow' || !has(self.candidates) || self.candidates.all(c, !has(c.weight) || c.weight == 0)",
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
        Double shadowShare,

        @JsonPropertyDescription("A registry alias (e.g. candidate) whose version is rolled out against the "
                + "champion (spec.model.registry.alias). Promotion moves the champion alias to it; spec is never "
                + "written.")
        @Pattern("^[A-Za-z0-9_-]{1,255}$")
        String candidateAlias,

        @JsonPropertyDescription("With analysis: the candidate's weights in order (Canary), the test's split "
                + "(ABTest, one step) or the comparison time (Shadow, one step of weight 0).")
        @Size(min = 1, max = 20)
        List<RolloutStepSpec> steps,

        @JsonPropertyDescription("Run the rollout by metrics: guardrails and a sequential test from Prometheus "
                + "decide promotion and rollback.")
        AnalysisSpec analysis) {

    public List<CandidateSpec> candidatesOrEmpty() {
        return candidates != null ? candidates : List.of();
    }
}
