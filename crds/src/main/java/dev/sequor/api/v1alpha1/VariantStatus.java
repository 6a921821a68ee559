package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One variant as served now. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VariantStatus(
        @JsonPropertyDescription("champion, or the candidate's name.")
        String name,

        @JsonPropertyDescription("The version the variant serves.")
        ResolvedModel model,

        @JsonPropertyDescription("Percent of users the routers send to it now (0 until its pods are ready).")
        Integer weight,

        @JsonPropertyDescription("Its predictor Deployment.")
        String deployment,

        @JsonPropertyDescription("Predictor pods ready to serve.")
        Integer readyReplicas) {
}
