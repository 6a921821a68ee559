package dev.sequor.analysis.rollout;

import java.util.Locale;
import java.util.Optional;

/** What a person may ask of a rollout without editing spec. */
public enum Action {
    PROMOTE, ABORT, PAUSE, RESUME, RETRY;

    /** The annotation value ({@code promote}, ...). */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Action> parse(String value) {
        for (Action a : values()) {
            if (a.value().equals(value == null ? null : value.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
