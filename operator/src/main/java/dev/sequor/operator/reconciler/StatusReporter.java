package dev.sequor.operator.reconciler;

import dev.sequor.api.v1alpha1.Condition;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.RecommenderModelStatus;
import dev.sequor.operator.status.ConditionType;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes status only when it changed, and turns condition changes into Kubernetes Events so
 * {@code kubectl describe} shows what happened and why.
 */
final class StatusReporter {


    private final KubernetesClient client;
    private final EventRecorder events;

    StatusReporter(KubernetesClient client) {
        this.client = client;
        this.events = new EventRecorder(client);
    }

    void report(RecommenderModel model, RecommenderModelStatus next, Instant now) {
        RecommenderModelStatus previous = model.getStatus();
        if (next.equals(previous)) {
            return;
        }
        // One JSON Patch "add" replaces the whole status: lists are replaced, not merged, and a
        // concurrent spec edit cannot make it conflict. Only the operator writes status.
        String patch = "[{\"op\":\"add\",\"path\":\"/status\",\"value\":"
                + client.getKubernetesSerialization().asJson(next) + "}]";
        // Through resource(model): Fabric8 then has the object and sends the patch without a GET first.
        client.resource(model).subresource("status").patch(PatchContext.of(PatchType.JSON), patch);
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
