package dev.sequor.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * Annotates each router pod with the hash of the split it should be reading. The kubelet
 * refreshes a pod's ConfigMap volumes when it syncs the pod, which it does at once when the pod
 * changes, instead of at its next periodic sync (up to a minute later). Pods are read from an
 * informer. When the split changed, every pod not showing its hash is patched; otherwise only pods
 * showing an older hash (a nudge lost to a failure), so new pods, which mounted the current split
 * at start, and a steady state cost no call. Best effort: the periodic sync still delivers it.
 */
final class RouterNudge {

    static final String SPLIT_ANNOTATION = "sequor.dev/split-hash";

    private RouterNudge() {
    }

    static void nudge(KubernetesClient client, Set<Pod> routerPods, String splitJson, boolean splitChanged) {
        String hash = hash(splitJson);
        String patch = "{\"metadata\":{\"annotations\":{\"" + SPLIT_ANNOTATION + "\":\"" + hash + "\"}}}";
        for (Pod pod : routerPods) {
            String shown = pod.getMetadata().getAnnotations() == null ? null
                    : pod.getMetadata().getAnnotations().get(SPLIT_ANNOTATION);
            boolean stale = splitChanged ? !hash.equals(shown) : shown != null && !hash.equals(shown);
            if (pod.getMetadata().getDeletionTimestamp() == null && stale) {
                // With the cached pod as the item: one PATCH, no GET first.
                client.pods().resource(pod).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            }
        }
    }

    static String hash(String splitJson) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(splitJson.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
