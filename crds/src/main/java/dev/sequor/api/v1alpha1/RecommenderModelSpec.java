package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** What a user asks for: a model and how to serve it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecommenderModelSpec(
        @Required
        @JsonPropertyDescription("Which model to serve: exactly one of `registry` or `uri`.")
        ModelSource model,

        @JsonPropertyDescription("How the model is served: replicas or autoscaling, resources, placement, "
                + "batching and top-k limits. Defaults to one CPU replica.")
        ServingSpec serving) {

    public ServingSpec servingOrDefault() {
        return serving != null ? serving : ServingSpec.DEFAULT;
    }
}
