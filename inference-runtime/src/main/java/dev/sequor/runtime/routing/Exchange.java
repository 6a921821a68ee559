package dev.sequor.runtime.routing;

import dev.sequor.routing.Route;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One request in one protocol, as the {@link Router} needs it: send it to a predictor, judge the answer. */
public interface Exchange<R> {

    /** Sends the request to a predictor as {@code route.variant()}; fails on transport errors and timeouts. */
    CompletableFuture<R> send(Route route, Duration timeout);

    /** Whether the answer is a failure of the predictor, one the champion should answer instead. */
    boolean failed(R reply);

    /** Whether the answer is a server error (counted as an error). */
    boolean serverError(R reply);

    /** The recommended item ids, best first (empty when the answer has none). */
    List<String> items(R reply);

    /** Whether this API's answer is a recommendation list (counted as served). */
    default boolean servesRecommendations() {
        return true;
    }
}
