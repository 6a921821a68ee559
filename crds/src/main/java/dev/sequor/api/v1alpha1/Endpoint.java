package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** In-cluster addresses of the model. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Endpoint(
        @JsonPropertyDescription("HTTP base URL (REST and Open Inference Protocol v2).")
        String http,

        @JsonPropertyDescription("gRPC address (Open Inference Protocol v2).")
        String grpc) {
}
