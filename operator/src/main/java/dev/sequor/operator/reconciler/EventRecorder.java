package dev.sequor.operator.reconciler;

import dev.sequor.api.v1alpha1.RecommenderModel;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import org.jboss.logging.Logger;

/**
 * Kubernetes Events for a RecommenderModel, aggregated as kubectl shows them: the same type,
 * reason and message on the same object is one Event whose count and last timestamp grow, not a
 * new object per occurrence.
 */
final class EventRecorder {

    static final String COMPONENT = "sequor-operator";
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);

    private final KubernetesClient client;

    EventRecorder(KubernetesClient client) {
        this.client = client;
    }

    void record(RecommenderModel model, String type, String reason, String message, Instant now) {
        String namespace = model.getMetadata().getNamespace();
        String name = model.getMetadata().getName() + "." + key(model.getMetadata().getUid(), type, reason, message);
        try {
            try {
                client.v1().events().inNamespace(namespace).resource(newEvent(model, name, type, reason, message, now))
                        .create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                client.v1().events().inNamespace(namespace).withName(name).edit(existing -> {
                    existing.setCount(existing.getCount() == null ? 2 : existing.getCount() + 1);
                    existing.setLastTimestamp(now.toString());
                    return existing;
                });
            }
        } catch (KubernetesClientException e) {
            // An event is a courtesy; losing one must not fail the reconciliation.
            LOG.warnf("Could not record event %s for %s/%s: %s", reason, namespace, model.getMetadata().getName(),
                    e.getMessage());
        }
    }

    private static Event newEvent(RecommenderModel model, String name, String type, String reason, String message,
            Instant now) {
        String namespace = model.getMetadata().getNamespace();
        return new EventBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewInvolvedObject()
                    .withApiVersion(model.getApiVersion()).withKind(model.getKind())
                    .withName(model.getMetadata().getName()).withNamespace(namespace)
                    .withUid(model.getMetadata().getUid())
                .endInvolvedObject()
                .withType(type)
                .withReason(reason)
                .withMessage(message)
                .withFirstTimestamp(now.toString())
                .withLastTimestamp(now.toString())
                .withCount(1)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .build();
    }

    /** Same object, type, reason and message: same Event name. */
    private static String key(String uid, String type, String reason, String message) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(String.join("\u0000", uid, type, reason, message).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
