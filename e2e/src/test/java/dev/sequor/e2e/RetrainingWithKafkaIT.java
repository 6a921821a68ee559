package dev.sequor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequor.contract.RuntimeContract;
import dev.sequor.operator.testing.LocalJobRunner;
import dev.sequor.testing.KafkaBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The closed loop with feedback in Kafka: a real broker (KRaft) on loopback; the router produces
 * to the model's topic, the training Job reads the topic as it is when it starts.
 */
class RetrainingWithKafkaIT extends RetrainingLoopScenario {

    private KafkaBroker broker;

    @Override
    String feedbackSpec() {
        return "{kafka: {bootstrapServers: '" + broker.bootstrapServers() + "'}}";
    }

    @Override
    Map<String, String> startSink(Path feedbackDir, List<AutoCloseable> running) {
        broker = KafkaBroker.start();
        running.add(broker);
        return Map.of(RuntimeContract.FEEDBACK_KAFKA_BOOTSTRAP_SERVERS, broker.bootstrapServers(),
                RuntimeContract.FEEDBACK_KAFKA_TOPIC, topic());
    }

    /** What the operator names the topic when the resource does not: sequor-feedback.NAMESPACE.NAME. */
    private String topic() {
        return "sequor-feedback." + namespace + ".games";
    }

    @Override
    void assertReadTheFeedback(LocalJobRunner.Run run, Path feedbackDir) {
        assertThat(run.command()).containsSubsequence("--feedback-kafka", broker.bootstrapServers(), "--feedback-topic",
                topic()).doesNotContain("--feedback-log");
        assertThat(readQuietly(run.log())).contains("feedback from the Kafka topic " + topic());
    }
}
