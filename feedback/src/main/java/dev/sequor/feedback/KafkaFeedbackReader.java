package dev.sequor.feedback;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A training Job's snapshot of a model's feedback topic: the end offset of every partition is
 * fixed first, then each partition is read from its start up to that offset. No consumer group:
 * the Job commits nothing and leaves no state in the cluster.
 */
public final class KafkaFeedbackReader {

    private KafkaFeedbackReader() {
    }

    /** Reads {@code topic} up to the end offsets it has now; fails if that takes longer than {@code timeout}. */
    public static FeedbackSnapshot snapshot(String bootstrapServers, String topic, Map<String, String> clientProperties,
            Duration timeout) {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "sequor-training-snapshot");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Only what the broker acknowledged to every in-sync replica: what the sink acknowledged.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Instant deadline = Instant.now().plus(timeout);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
            if (partitions == null || partitions.isEmpty()) {
                throw new SinkUnavailableException("the feedback topic " + topic + " does not exist at " + bootstrapServers, null);
            }
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition()))
                    .sorted(java.util.Comparator.comparingInt(TopicPartition::partition)).toList();
            consumer.assign(assigned);
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, timeout);
            consumer.seekToBeginning(assigned);
            Map<String, List<LogRecord>> streams = new LinkedHashMap<>();
            assigned.forEach(tp -> streams.put(tp.toString(), new ArrayList<>()));
            while (assigned.stream().anyMatch(tp -> consumer.position(tp, timeout) < ends.get(tp))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new SinkUnavailableException("reading the feedback topic " + topic + " took longer than " + timeout, null);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() < ends.get(tp)) {
                        streams.get(tp.toString()).add(new LogRecord(r.offset(), r.value()));
                    }
                }
            }
            return new FeedbackSnapshot("the Kafka topic " + topic + " at " + bootstrapServers, streams);
        } catch (KafkaException e) {
            throw new SinkUnavailableException("cannot read the feedback topic " + topic + " at " + bootstrapServers
                    + ": " + e.getMessage(), e);
        }
    }
}
