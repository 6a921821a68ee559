package dev.sequor.runtime.inference;

import dev.sequor.modelpackage.ModelPackage;
import dev.sequor.runtime.api.RecommendationApi;
import java.util.ArrayList;
import java.util.List;

/**
 * A recommendation request's history as one row of model input: the items the model knows (an
 * unknown one is skipped with its time and event type), the most recent {@code maxLength} of them,
 * left-padded with 0, with their times and event types where the model reads them.
 *
 * @param items the item row
 * @param times the time row, or null when the model does not read time
 * @param events the event type row, or null when the model does not read event types
 * @param known every known item's index, oldest first (not cut to the window)
 * @param unknown the ids the model does not know
 */
record HistoryRows(long[] items, long[] times, long[] events, List<Long> known, List<String> unknown) {

    static HistoryRows of(RecommendationApi.Request r, LoadedModel model, long nowSeconds) {
        ModelPackage pkg = model.pkg();
        String version = model.version().isEmpty() ? model.uri() : model.version();
        long[] times = null;
        if (r.timestamps() != null) {
            times = HistoryTimes.of(r.timestamps(), r.history().size(), nowSeconds);
        } else if (model.recommender().readsTime()) {
            throw InferenceException.invalid("model version " + version
                    + " reads when each action happened: give timestamps, epoch seconds, one per history item");
        }
        long[] events = null;
        if (model.recommender().readsEvents()) {
            if (r.events() == null) {
                throw InferenceException.invalid("model version " + version + " reads each action's event type: give "
                        + "events, one per history item (" + String.join(", ", pkg.metadata().eventTypes()) + ")");
            }
            events = HistoryEvents.of(r.events(), r.history().size(), pkg.metadata().eventTypes());
        }
        List<String> unknown = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        List<Long> known = new ArrayList<>();
        for (int i = 0; i < r.history().size(); i++) {
            String id = r.history().get(i);
            Integer index = id == null ? null : pkg.vocabulary().index(id);
            if (index == null) {
                unknown.add(id);
            } else {
                kept.add(i);
                known.add((long) index);
            }
        }
        int length = pkg.maxLength();
        long[] items = new long[length];
        long[] timeRow = model.recommender().readsTime() ? new long[length] : null;
        long[] eventRow = events != null ? new long[length] : null;
        int n = Math.min(length, kept.size());
        for (int i = 0; i < n; i++) {
            int at = length - n + i;
            int from = kept.size() - n + i;
            items[at] = known.get(from);
            if (timeRow != null) {
                timeRow[at] = times[kept.get(from)];
            }
            if (eventRow != null) {
                eventRow[at] = events[kept.get(from)];
            }
        }
        return new HistoryRows(items, timeRow, eventRow, known, unknown);
    }
}
