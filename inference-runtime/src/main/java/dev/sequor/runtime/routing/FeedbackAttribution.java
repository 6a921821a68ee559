package dev.sequor.runtime.routing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sequor.runtime.config.Durations;
import dev.sequor.runtime.config.RuntimeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Remembers which variant served which recommendation (by its id, and the latest one per user
 * key), so that feedback is credited to the variant that served the user and counted as a hit
 * when its item was in the list that user was shown. Bounded and expiring: feedback on a
 * forgotten recommendation is still counted, by the user's assigned variant, but never as a hit.
 */
@ApplicationScoped
public class FeedbackAttribution {

    /** One recommendation list as served. */
    public record Served(String id, String version, String variant, Set<String> items) {
    }

    private final Cache<String, Served> byId;
    private final Cache<String, Served> byUser;

    public FeedbackAttribution(RuntimeConfig config) {
        long capacity = config.attribution().capacity();
        var retention = Durations.parse(config.attribution().retention());
        this.byId = Caffeine.newBuilder().maximumSize(capacity).expireAfterWrite(retention).build();
        this.byUser = Caffeine.newBuilder().maximumSize(capacity).expireAfterWrite(retention).build();
    }

    public void served(String id, String userKey, String version, String variant, List<String> items) {
        Served served = new Served(id, version, variant, Set.copyOf(items));
        if (id != null) {
            byId.put(id, served);
        }
        if (userKey != null && !userKey.isEmpty()) {
            byUser.put(userKey, served);
        }
    }

    /** What was served under this recommendation id, else the user's latest recommendation. */
    public Optional<Served> find(String recommendationId, String userKey) {
        Served served = recommendationId == null ? null : byId.getIfPresent(recommendationId);
        if (served == null && userKey != null) {
            served = byUser.getIfPresent(userKey);
        }
        return Optional.ofNullable(served);
    }
}
