package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** The training Job the operator builds for each run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.hyperParameters) || self.hyperParameters.all(k, k.matches('^[a-z][a-z0-9-]{0,40}$') && !(k in ['data', 'format', "
                + "'synthetic', 'feedback-log', 'feedback-kafka', 'feedback-topic', 'feedback-events', 'registry', 'mlflow', 'output', 'model-name', "
                + "'alias', 'compare-with', 'max-regression', 'tag', 'device', 'dp-epsilon', 'dp-delta', 'max-grad-norm', "
                + "'privacy-budget', 'privacy-spent']))",
                message = "spec.retraining.job.hyperParameters: keys are trainer options in lower case "
                        + "(e.g. epochs); data, registry, alias and device options are set by the operator")
public record TrainingJobSpec(
        @JsonPropertyDescription("The trainer image (default: the operator's, sequor.training.image).")
        @Size(max = 512)
        String image,

        @JsonPropertyDescription("Compute for the training pod; gpu requests nvidia.com/gpu.")
        TrainingResourcesSpec resources,

        @Required
        @JsonPropertyDescription("The base dataset the feedback is joined to.")
        BaseDataSpec baseData,

        @JsonPropertyDescription("Trainer options without the leading dashes, e.g. {\"epochs\": \"50\", \"loss\": "
                + "\"ce\"}; see the trainer's --help. Data, registry and alias options are the operator's.")
        @Size(max = 32)
        Map<String, String> hyperParameters,

        @JsonPropertyDescription("How much worse than the champion, in NDCG@10 over the full catalogue on the same "
                + "held-out data, a new model may be and still become the candidate (default 0).")
        @Min(0)
        @Max(1)
        Double maxRegression,

        @JsonPropertyDescription("Retries of a failed training pod (default 1).")
        @Min(0)
        @Max(10)
        Integer backoffLimit,

        @JsonPropertyDescription("Seconds a finished Job is kept (default 86400).")
        @Min(0)
        Integer ttlSecondsAfterFinished) {
}
