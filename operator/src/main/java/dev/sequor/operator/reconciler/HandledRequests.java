package dev.sequor.operator.reconciler;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests by annotation already acted on. The annotation is removed right after, but the next
 * reconciliation may still read the resource from a cache that has it: the same value is then not
 * a new request. Forgotten once a look sees the annotation gone, so the same value set again later
 * is a new request.
 */
final class HandledRequests {

    private final Map<String, String> handled = new ConcurrentHashMap<>();

    /** The request to act on now, if {@code value} is one not yet acted on for this resource. */
    Optional<String> fresh(String uid, Optional<String> value) {
        if (value.isEmpty()) {
            handled.remove(uid);
            return Optional.empty();
        }
        return value.get().equals(handled.get(uid)) ? Optional.empty() : value;
    }

    void actedOn(String uid, String value) {
        handled.put(uid, value);
    }
}
