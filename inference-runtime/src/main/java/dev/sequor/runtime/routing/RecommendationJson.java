package dev.sequor.runtime.routing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The few fields a router reads from the recommendation API's JSON, read with Jackson's streaming
 * parser so the bodies pass through untouched: the request's {@code userId}, the answer's
 * {@code id} and item ids. The message types stay those of {@code RecommendationApi}.
 */
final class RecommendationJson {

    private static final JsonFactory JSON = new JsonFactory();

    /** What a router needs from an answer. */
    record Served(String id, List<String> items) {
    }

    private RecommendationJson() {
    }

    /** The top-level {@code userId} of a request, or null (absent, not a string, or not JSON). */
    static String userId(byte[] request) {
        try (JsonParser p = JSON.createParser(request)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("userId")) {
                    return value == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException malformed) {
            return null; // the predictor answers a malformed body with its own 400
        }
    }

    /** The answer's {@code id} and its items' ids, best first. */
    static Served served(byte[] answer) {
        String id = null;
        List<String> items = new ArrayList<>();
        try (JsonParser p = JSON.createParser(answer)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new Served(null, items);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("id") && value == JsonToken.VALUE_STRING) {
                    id = p.getText();
                } else if (field.equals("items") && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String itemField = p.currentName();
                            JsonToken itemValue = p.nextToken();
                            if (itemField.equals("id") && itemValue == JsonToken.VALUE_STRING) {
                                items.add(p.getText());
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException malformed) {
            // a predictor's answer that is not JSON: nothing to remember
        }
        return new Served(id, items);
    }
}
