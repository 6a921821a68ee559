package dev.sequor.operator.reconciler;

import dev.sequor.api.v1alpha1.Condition;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.RecommenderModelStatus;
import dev.sequor.operator.status.ConditionType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes status only when it changed, and turns condition changes into Kubernetes Events so
 * {@code kubectl describe} shows what happened and why.
 */
final class StatusReporter {

    private final Context<RecommenderModel> context;
    private final EventRecorder events;

    StatusReporter(Context<RecommenderModel> context) {
        this.context = context;
        this.events = new EventRecorder(context.getClient());
    }

    void report(RecommenderModel model, RecommenderModelStatus next, Instant now) {
        RecommenderModelStatus previous = model.getStatus();
        if (next.equals(previous)) {
            return;
        }
        // The whole status replaced (lists are not merged), with optimistic locking, and kept in the
        // SDK's overlay cache: the next look sees this status even before the informer does. Decisions
        // read from status (a promotion recorded, a run started) are never taken twice on a stale copy.
        PrimaryUpdateAndCacheUtils.updateAndCacheResource(model, context, m -> {
            RecommenderModel written = new RecommenderModel();
            written.setMetadata(m.getMetadata());
            written.setSpec(m.getSpec());
            written.setStatus(next);
            return written;
        }, m -> context.getClient().resource(m).updateStatus());
        emitEvents(model, previous != null ? previous.conditions() : List.of(), next.conditions(), now);
    }

    private void emitEvents(RecommenderModel model, List<Condition> before, List<Condition> after, Instant now) {
        for (Condition c : after) {
            Optional<Condition> old = before == null ? Optional.empty()
                    : before.stream().filter(b -> b.type().equals(c.type())).findFirst();
            boolean changed = old.isEmpty() || !old.get().status().equals(c.status())
                    || !Objects.equals(old.get().reason(), c.reason());
            if (changed && isNewsworthy(c)) {
                event(model, bad(c) ? "Warning" : "Normal", c.reason(), c.message(), now);
            }
        }
    }

    private static boolean isNewsworthy(Condition c) {
        return bad(c) || (c.isTrue() && (c.type().equals(ConditionType.MODEL_RESOLVED)
                || c.type().equals(ConditionType.READY)));
    }

    private static boolean bad(Condition c) {
        return (c.type().equals(ConditionType.DEGRADED) && c.isTrue())
                || (c.type().equals(ConditionType.MODEL_RESOLVED) && !c.isTrue());
    }

    void event(RecommenderModel model, String type, String reason, String message, Instant now) {
        events.record(model, type, reason, message, now);
    }
}
