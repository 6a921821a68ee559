package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Where feedback is kept durably for training: exactly one sink. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.log) != has(self.kafka)",
        message = "spec.retraining.feedback needs exactly one sink: log or kafka")
public record FeedbackSinkSpec(
        @JsonPropertyDescription("The embedded durable log on a PersistentVolumeClaim (ReadWriteMany when the "
                + "router has more than one replica): each router pod writes its own log under it, the training "
                + "Job reads them all.")
        FeedbackLogSpec log,

        @JsonPropertyDescription("A Kafka topic (for production scale): routers produce with an idempotent producer "
                + "and acks=all and acknowledge an event only once the broker did; the training Job reads the topic "
                + "as it is when the Job starts.")
        FeedbackKafkaSpec kafka) {
}
