package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The sequential test at the last look. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SequentialTestStatus(
        @JsonPropertyDescription("Successes and trials of the champion since the rollout began.")
        Long championSuccesses,
        Long championTrials,
        @JsonPropertyDescription("Successes and trials of the candidate since the rollout began.")
        Long candidateSuccesses,
        Long candidateTrials,
        @JsonPropertyDescription("Candidate rate minus champion rate.")
        Double effect,
        @JsonPropertyDescription("The mixture likelihood ratio (the test statistic).")
        Double likelihoodRatio,
        @JsonPropertyDescription("The always-valid p-value: the least 1/likelihoodRatio over every look.")
        Double pValue,
        @JsonPropertyDescription("CONTINUE, CANDIDATE_BETTER or CANDIDATE_WORSE.")
        String decision) {
}
