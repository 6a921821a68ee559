package dev.sequor.operator.status;

import dev.sequor.api.v1alpha1.Condition;
import dev.sequor.api.v1alpha1.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Merges freshly computed conditions into the previous ones. */
public final class Conditions {

    private Conditions() {
    }

    /**
     * Returns {@code next} with each condition's lastTransitionTime kept from {@code previous}
     * when its status did not flip, and set to {@code now} when it did or is new.
     */
    public static List<Condition> merge(List<Condition> previous, List<Condition> next, Instant now) {
        List<Condition> merged = new ArrayList<>();
        for (Condition c : next) {
            Condition before = previous == null ? null
                    : previous.stream().filter(p -> p.type().equals(c.type())).findFirst().orElse(null);
            String since = before != null && before.status().equals(c.status()) && before.lastTransitionTime() != null
                    ? before.lastTransitionTime() : now.toString();
            merged.add(new Condition(c.type(), c.status(), c.reason(), c.message(), since, c.observedGeneration()));
        }
        return merged;
    }

    public static Condition of(String type, boolean status, Reason reason, String message, Long generation) {
        return new Condition(type, status ? Condition.TRUE : Condition.FALSE, reason.value(), message, null,
                generation);
    }
}
