package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The analysed rollout of a candidate version, as the operator keeps it between looks. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CandidateStatus(
        @JsonPropertyDescription("The candidate version.")
        ResolvedModel model,
        @JsonPropertyDescription("candidateAlias (registry) or spec (a spec.model change).")
        String source,
        @JsonPropertyDescription("Waiting, Progressing, Inconclusive, Paused, Promoted, RolledBack or Aborted.")
        String phase,
        @JsonPropertyDescription("Percent of users it serves now (100 once promoted, 0 once rolled back or aborted).")
        Integer weight,
        @JsonPropertyDescription("The current step, from 1, and how many there are.")
        Integer step,
        Integer steps,
        @JsonPropertyDescription("Why it is where it is, in one line.")
        String message,
        String startedAt,
        String stepStartedAt,
        String lastAnalysisAt,
        String finishedAt,
        @JsonPropertyDescription("Guardrail breaches so far, and analysis runs in a row without data.")
        Integer failures,
        Integer inconclusive,
        @JsonPropertyDescription("The last analysis run's measurements.")
        List<MeasurementStatus> measurements,
        @JsonPropertyDescription("The sequential test at the last look.")
        SequentialTestStatus test) {
}
