package dev.sequor.runtime.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The recommendation REST API's messages. */
public final class RecommendationApi {

    private RecommendationApi() {
    }

    /**
     * @param userId optional, echoed back and used for feedback and sticky routing
     * @param history the user's recent actions as external item ids, oldest first
     * @param timestamps when each history action happened, epoch seconds, parallel to history: required
     *     by a model that reads time (TiSASRec), checked and ignored otherwise
     * @param events each history action's event type (e.g. view, purchase), parallel to history:
     *     required by a model that reads event types, ignored otherwise
     * @param k how many items (default and limit from the runtime's settings)
     * @param exclude item ids never to return
     * @param excludeHistory whether the history's own items are excluded (default true)
     */
    public record Request(String userId, List<String> history, List<Long> timestamps, List<String> events, Integer k,
            List<String> exclude, Boolean excludeHistory) {
    }

    public record Item(String id, float score) {
    }

    /**
     * @param id this recommendation's id: feedback that names it is credited to the variant that
     *        served it, and counted as a hit when its item is among {@code items}
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Response(String id, String userId, String model, String version, String variant, List<Item> items,
            List<String> unknownItems) {
    }

    public record BatchRequest(List<Request> requests) {
    }

    public record BatchResponse(List<Response> responses) {
    }
}
