package dev.sequor.runtime.inference;

import java.util.List;

/**
 * The times of a history's actions, as a model that reads time (TiSASRec) takes them: epoch
 * seconds, one per history item, never negative, never decreasing, and not in the future beyond
 * what clocks may disagree by. Anything else is the client's mistake, answered with a 4xx that
 * says which value is wrong.
 */
public final class HistoryTimes {

    /** How far ahead of this server's clock a time may be: client and server clocks differ. */
    public static final long MAX_FUTURE_SECONDS = 86_400;

    private HistoryTimes() {
    }

    /** The request API's {@code timestamps}, checked against its {@code history}. */
    public static long[] of(List<Long> timestamps, int historySize, long nowSeconds) {
        if (timestamps.size() != historySize) {
            throw InferenceException.invalid("timestamps must give one time per history item: " + historySize
                    + " items, " + timestamps.size() + " timestamps");
        }
        long[] times = new long[historySize];
        for (int i = 0; i < historySize; i++) {
            Long t = timestamps.get(i);
            if (t == null) {
                throw InferenceException.invalid("timestamps[" + i + "] is missing");
            }
            times[i] = t;
        }
        check(times, 0, times.length, nowSeconds, "timestamps");
        return times;
    }

    /** Checks {@code times[from, to)}; {@code name} says where they came from in error messages. */
    public static void check(long[] times, int from, int to, long nowSeconds, String name) {
        for (int i = from; i < to; i++) {
            long t = times[i];
            if (t < 0) {
                throw InferenceException.invalid(name + "[" + (i - from) + "] is negative (" + t
                        + "); times are epoch seconds");
            }
            if (i > from && t < times[i - 1]) {
                throw InferenceException.invalid(name + "[" + (i - from) + "] (" + t + ") is before the one it follows ("
                        + times[i - 1] + "); a history is oldest first");
            }
            if (t > nowSeconds + MAX_FUTURE_SECONDS) {
                throw InferenceException.invalid(name + "[" + (i - from) + "] (" + t + ") is more than a day in the "
                        + "future; times are epoch seconds, not milliseconds");
            }
        }
    }
}
