package dev.sequor.feedback;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequor.contract.Metrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One feedback event as stored (the one definition of its schema; {@code docs/feedback.md}): what
 * a user did with an item, when, and which recommendation and variant it answers.
 *
 * @param schemaVersion {@link #SCHEMA_VERSION} when written; readers accept every version up to it
 * @param eventId unique per event: storage is at least once, readers deduplicate by it
 * @param recommendationId the recommendation list the event answers, if any
 * @param userId the user key
 * @param itemId the item acted on
 * @param event impression, click or interaction ({@link Metrics#EVENT_TYPES})
 * @param timestampMillis when the user acted (epoch milliseconds, UTC)
 * @param model the model name
 * @param version the version that served the user (attributed by the router), if known
 * @param variant the variant that served the user, if known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeedbackEvent(int schemaVersion, String eventId, String recommendationId, String userId, String itemId,
        String event, long timestampMillis, String model, String version, String variant) {

    public static final int SCHEMA_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** Everything wrong with the event, each in one sentence; empty when it may be stored. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (schemaVersion < 1 || schemaVersion > SCHEMA_VERSION) {
            problems.add("schemaVersion " + schemaVersion + " is not one this reader knows (1.." + SCHEMA_VERSION + ")");
        }
        require(problems, "eventId", eventId);
        require(problems, "userId", userId);
        require(problems, "itemId", itemId);
        if (event == null || !Metrics.EVENT_TYPES.contains(event)) {
            problems.add("event must be one of " + Metrics.EVENT_TYPES + ", got " + event);
        }
        if (timestampMillis <= 0) {
            problems.add("timestamp must be a positive epoch time in milliseconds");
        }
        return problems;
    }

    private static void require(List<String> problems, String name, String value) {
        if (value == null || value.isBlank()) {
            problems.add(name + " is required");
        } else if (value.length() > 512) {
            problems.add(name + " is longer than 512 characters");
        }
    }

    public byte[] toBytes() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a feedback event always serializes", e);
        }
    }

    /** Reads a stored event (unknown fields of a newer minor writer are ignored). */
    public static FeedbackEvent parse(byte[] bytes) {
        try {
            return JSON.readValue(bytes, FeedbackEvent.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a feedback event: " + new String(bytes, StandardCharsets.UTF_8), e);
        }
    }
}
