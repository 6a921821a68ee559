package dev.sequor.e2e;

import dev.sequor.routing.Route;
import dev.sequor.routing.TrafficSplit;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the kubelet does for a router pod, on loopback: projects the operator's split ConfigMap
 * into the router's split file, atomically. The one change: each route's cluster address (a
 * Service name) becomes the loopback address of the process serving that version.
 */
final class SplitProjection implements AutoCloseable {

    private final KubernetesClient client;
    private final String namespace;
    private final String configMap;
    private final Path file;
    private final Map<String, String[]> addresses = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    private volatile String written;
    private volatile String problem;

    SplitProjection(KubernetesClient client, String namespace, String configMap, Path file) {
        this.client = client;
        this.namespace = namespace;
        this.configMap = configMap;
        this.file = file;
        poller.scheduleWithFixedDelay(this::project, 0, 200, TimeUnit.MILLISECONDS);
    }

    /** Where the process serving {@code version} listens. */
    void serve(String version, String http, String grpc) {
        addresses.put(version, new String[] {http, grpc});
    }

    /** The split as last written to the router's file (null before the first). */
    TrafficSplit current() {
        String json = written;
        return json == null ? null : TrafficSplit.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Why the last projection failed, if it did. */
    String problem() {
        return problem;
    }

    private void project() {
        try {
            ConfigMap cm = client.configMaps().inNamespace(namespace).withName(configMap).get();
            if (cm == null || cm.getData() == null || !cm.getData().containsKey(TrafficSplit.FILE_NAME)) {
                return;
            }
            TrafficSplit split = TrafficSplit.parse(cm.getData().get(TrafficSplit.FILE_NAME).getBytes(StandardCharsets.UTF_8));
            List<Route> routes = split.variants().stream().map(r -> {
                String[] at = addresses.get(r.version());
                if (at == null) {
                    throw new IllegalStateException("no process serves version " + r.version());
                }
                return new Route(r.variant(), r.version(), r.weight(), at[0], at[1]);
            }).toList();
            String json = new TrafficSplit(split.formatVersion(), split.model(), split.salt(), routes, split.shadow())
                    .toJson();
            if (!json.equals(written)) {
                Path tmp = file.resolveSibling(".split-projection.tmp");
                Files.writeString(tmp, json);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                written = json;
            }
            problem = null;
        } catch (IOException | RuntimeException e) {
            // Kept for the test to show; the next poll tries again (a thrown exception would end the schedule).
            problem = e.toString();
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
