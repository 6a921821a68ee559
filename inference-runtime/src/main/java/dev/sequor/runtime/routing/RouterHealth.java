package dev.sequor.runtime.routing;

import dev.sequor.routing.StickyAssignment;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Why a router cannot serve now: no valid split yet, or its champion does not answer its probe. */
@ApplicationScoped
public class RouterHealth {

    private final SplitWatcher splits;
    private final Backends backends;

    public RouterHealth(SplitWatcher splits, Backends backends) {
        this.splits = splits;
        this.backends = backends;
    }

    public Optional<String> problem() {
        StickyAssignment assignment = splits.current();
        if (assignment == null) {
            return Optional.of("no traffic split: " + splits.problem());
        }
        if (!backends.reachable(assignment.champion())) {
            return Optional.of("the champion (version " + assignment.champion().version() + " at "
                    + assignment.champion().http() + ") is not reachable");
        }
        return Optional.empty();
    }

    /** The split in force, for the readiness data. */
    public Optional<StickyAssignment> assignment() {
        return Optional.ofNullable(splits.current());
    }
}
