package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The Kafka cluster and topic that keep a model's feedback. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeedbackKafkaSpec(
        @Required
        @JsonPropertyDescription("Bootstrap servers, host:port[,host:port...], reachable from the router pods and "
                + "the training Job.")
        @Pattern("^[^,\\s]+:[0-9]+(,[^,\\s]+:[0-9]+)*$")
        String bootstrapServers,

        @JsonPropertyDescription("The model's topic (one per model). Default: sequor-feedback.NAMESPACE.NAME. Created "
                + "with the cluster's defaults for partitions and replication when it does not exist and the router "
                + "may create topics.")
        @Pattern("^[a-zA-Z0-9._-]{1,249}$")
        String topic) {

    /** The topic a model's feedback goes to. */
    public String topicFor(RecommenderModel model) {
        return topic != null ? topic
                : "sequor-feedback." + model.getMetadata().getNamespace() + "." + model.getMetadata().getName();
    }
}
