package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Where feedback is kept durably for training. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeedbackSinkSpec(
        @Required
        @JsonPropertyDescription("The embedded durable log on a PersistentVolumeClaim (ReadWriteMany when the "
                + "router has more than one replica): each router pod writes its own log under it, the training "
                + "Job reads them all.")
        FeedbackLogSpec log) {
}
