package dev.sequor.feedback;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a sink held when a training Job read it: every stream (a router pod's log, a topic
 * partition) with its records in stream order, read up to a fixed end — so the data a model is
 * trained on is exactly what its fingerprint and end offsets say, even while routers keep writing.
 *
 * @param source where it was read from, for people
 * @param streams each stream's name and its records, in order
 */
public record FeedbackSnapshot(String source, Map<String, List<LogRecord>> streams) {

    public FeedbackSnapshot {
        streams = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(streams));
    }

    /** The log in {@code dir}, or every log directly under it (one per router pod). */
    public static FeedbackSnapshot ofLogs(Path dir) {
        Map<String, List<LogRecord>> streams = new LinkedHashMap<>();
        for (Path log : FeedbackLog.logsUnder(dir)) {
            streams.put(log.toString(), FeedbackLog.readOnly(log));
        }
        return new FeedbackSnapshot("the feedback log " + dir, streams);
    }

    public long records() {
        return streams.values().stream().mapToLong(List::size).sum();
    }

    /** For each stream, the offset after the last record read: what the snapshot covers. */
    public Map<String, Long> endOffsets() {
        Map<String, Long> ends = new LinkedHashMap<>();
        streams.forEach((name, records) -> ends.put(name, records.isEmpty() ? 0 : records.get(records.size() - 1).offset() + 1));
        return ends;
    }
}
