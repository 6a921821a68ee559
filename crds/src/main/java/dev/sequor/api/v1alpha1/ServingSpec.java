package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** How the model is served. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!(has(self.replicas) && has(self.autoscaling))",
        message = "spec.serving: set replicas or autoscaling, not both")
public record ServingSpec(
        @JsonPropertyDescription("Fixed number of predictor pods (default 1). Not with autoscaling.")
        @Min(0)
        @Max(1000)
        Integer replicas,

        @JsonPropertyDescription("Scale the predictor pods with a HorizontalPodAutoscaler. Not with replicas.")
        AutoscalingSpec autoscaling,

        @JsonPropertyDescription("Compute for each predictor pod.")
        ResourcesSpec resources,

        @JsonPropertyDescription("Node labels the predictor pods must run on.")
        Map<String, String> nodeSelector,

        @JsonPropertyDescription("Taints the predictor pods tolerate. Pods that request a GPU also tolerate "
                + "the usual nvidia.com/gpu taint.")
        @Size(max = 32)
        List<TolerationSpec> tolerations,

        @JsonPropertyDescription("Dynamic batching of concurrent requests in the runtime.")
        BatchingSpec batching,

        @JsonPropertyDescription("Limits on how many items one request may ask for.")
        TopKSpec topK,

        @JsonPropertyDescription("Inference runtime image. Defaults to the operator's configured image.")
        @Pattern("^[^\\s]+$")
        String image,

        @JsonPropertyDescription("The router pods behind the model's Service.")
        RouterSpec router) {

    public static final ServingSpec DEFAULT =
            new ServingSpec(null, null, null, null, null, null, null, null, null);

    public RouterSpec routerOrDefault() {
        return router != null ? router : new RouterSpec(null);
    }
}
