package dev.sequor.runtime.inference;

import java.util.List;
import java.util.Locale;

/**
 * The event types of a history's actions, as a model that reads them takes them: one name per
 * history item, one of the types the model was trained with (case does not matter), turned into
 * the graph's indices (1 for the first type; 0 is padding).
 */
public final class HistoryEvents {

    private HistoryEvents() {
    }

    /** The request API's {@code events}, checked against its {@code history} and the model's types. */
    public static long[] of(List<String> events, int historySize, List<String> known) {
        if (events.size() != historySize) {
            throw InferenceException.invalid("events must give one event type per history item: " + historySize
                    + " items, " + events.size() + " events");
        }
        long[] indices = new long[historySize];
        for (int i = 0; i < historySize; i++) {
            String e = events.get(i);
            int index = e == null ? -1 : known.indexOf(e.trim().toLowerCase(Locale.ROOT));
            if (index < 0) {
                throw InferenceException.invalid("events[" + i + "] " + (e == null ? "is missing"
                        : "'" + e + "' is not an event type this model knows") + " (" + String.join(", ", known) + ")");
            }
            indices[i] = index + 1;
        }
        return indices;
    }

    /** Checks OIP event indices {@code values[from, to)}: each 1..{@code types}. */
    public static void check(long[] values, int from, int to, int types, String name) {
        for (int i = from; i < to; i++) {
            if (values[i] < 1 || values[i] > types) {
                throw InferenceException.invalid(name + "[" + (i - from) + "] is " + values[i] + "; event types are 1.."
                        + types + " at every real history position (see the model's sequor_event_types)");
            }
        }
    }
}
