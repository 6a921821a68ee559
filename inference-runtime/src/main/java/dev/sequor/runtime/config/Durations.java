package dev.sequor.runtime.config;

import java.time.Duration;

/** Durations as written in RecommenderModel specs: 500us, 2ms, 1s. */
public final class Durations {

    private Durations() {
    }

    public static Duration parse(String text) {
        String t = text.trim();
        try {
            if (t.endsWith("us")) {
                return Duration.ofNanos(Long.parseLong(t.substring(0, t.length() - 2)) * 1_000);
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("duration '" + text + "' is not like 500us, 2ms or 1s");
    }
}
