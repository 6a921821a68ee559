package dev.sequor.analysis.retraining;

import java.time.Duration;

/** Durations as people write them in resources: 90s, 15m, 6h, 2d. */
final class Durations {

    private Durations() {
    }

    static String text(Duration d) {
        long s = d.toSeconds();
        if (s != 0 && s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s != 0 && s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
