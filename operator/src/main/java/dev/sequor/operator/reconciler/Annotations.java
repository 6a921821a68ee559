package dev.sequor.operator.reconciler;

import dev.sequor.api.v1alpha1.RecommenderModel;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Requests people make by annotation (a rollout action, a retrain): removed once acted on. */
final class Annotations {

    private static final Logger LOG = Logger.getLogger(Annotations.class);

    private Annotations() {
    }

    /** The request under {@code key}, if one is set. */
    static Optional<String> value(RecommenderModel model, String key) {
        Map<String, String> annotations = model.getMetadata().getAnnotations();
        return Optional.ofNullable(annotations == null ? null : annotations.get(key));
    }

    /** Removes {@code key} if it still holds {@code value}: a new request set meanwhile is not removed unseen. */
    static void remove(KubernetesClient client, RecommenderModel model, String key, String value) {
        String path = "/metadata/annotations/" + key.replace("~", "~0").replace("/", "~1");
        String patch = "[{\"op\":\"test\",\"path\":\"" + path + "\",\"value\":"
                + client.getKubernetesSerialization().asJson(value) + "},{\"op\":\"remove\",\"path\":\"" + path + "\"}]";
        try {
            client.resource(model).patch(PatchContext.of(PatchType.JSON), patch);
        } catch (KubernetesClientException e) {
            LOG.warnf("Could not remove %s from %s/%s (it is acted on again at the next look): %s", key,
                    model.getMetadata().getNamespace(), model.getMetadata().getName(), e.getMessage());
        }
    }
}
