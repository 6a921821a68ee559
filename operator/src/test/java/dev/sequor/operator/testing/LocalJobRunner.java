package dev.sequor.operator.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Stands in for the kubelet for Job pods on the test control plane, which runs no containers: when
 * a Job's pod is Running (kwok), it runs the container's arguments as a local process — the image's
 * entry point replaced by a local command, each volume by a local folder, the environment as the pod
 * would have it — then reports the exit code in the pod's status as a kubelet does. The real Job
 * controller takes it from there (retries, pod failure policy, conditions).
 */
public final class LocalJobRunner implements AutoCloseable {

    /** The label the Job controller puts on its pods. */
    private static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";

    /** One finished run, for assertions. */
    public record Run(String pod, List<String> command, Map<String, String> env, int exitCode, Path log) {
    }

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, List<String>> entryPoints;
    private final Path logs;
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private final List<Run> runs = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private SharedIndexInformer<Pod> informer;

    /**
     * @param entryPoints for each image, the local command that stands for its entry point
     */
    public LocalJobRunner(KubernetesClient client, String namespace, Map<String, List<String>> entryPoints, Path logs) {
        this.client = client;
        this.namespace = namespace;
        this.entryPoints = entryPoints;
        this.logs = logs;
    }

    /**
     * A claim whose volume is a local folder: a hostPath PersistentVolume bound to it (the real
     * binder controller marks both Bound, so pods that use it are scheduled). The runner gives the
     * folder to the processes of pods that mount the claim.
     */
    public static void createClaim(KubernetesClient client, String namespace, String claim, Path folder) {
        String volume = namespace + "-" + claim;
        client.resource(new PersistentVolumeBuilder().withNewMetadata().withName(volume).endMetadata().withNewSpec()
                .withCapacity(Map.of("storage", new Quantity("1Gi"))).withAccessModes("ReadWriteMany")
                .withStorageClassName("").withNewHostPath().withPath(folder.toAbsolutePath().toString()).endHostPath()
                .withNewClaimRef().withNamespace(namespace).withName(claim).endClaimRef().endSpec().build()).create();
        client.resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName(claim).withNamespace(namespace)
                .endMetadata().withNewSpec().withAccessModes("ReadWriteMany").withStorageClassName("")
                .withVolumeName(volume).withNewResources().withRequests(Map.of("storage", new Quantity("1Gi")))
                .endResources().endSpec().build()).create();
    }

    public LocalJobRunner start() {
        informer = client.pods().inNamespace(namespace).withLabel(JOB_NAME_LABEL).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                maybeRun(pod);
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                maybeRun(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
            }
        });
        return this;
    }

    public List<Run> runs() {
        return List.copyOf(runs);
    }

    private void maybeRun(Pod pod) {
        if (pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
                && pod.getMetadata().getDeletionTimestamp() == null && started.add(pod.getMetadata().getUid())) {
            workers.submit(() -> run(pod));
        }
    }

    private void run(Pod pod) {
        Container c = pod.getSpec().getContainers().get(0);
        String startedAt = Instant.now().toString();
        int exit;
        List<String> command = new ArrayList<>();
        Map<String, String> env = new HashMap<>();
        Path log = logs.resolve(pod.getMetadata().getName() + ".log");
        // The container's termination message file, as the kubelet provides it: a local file here.
        Path terminationLog = logs.resolve(pod.getMetadata().getName() + ".termination-log");
        try {
            Map<String, String> paths = new HashMap<>(localPaths(pod, c));
            if (c.getTerminationMessagePath() != null) {
                paths.put(c.getTerminationMessagePath(), terminationLog.toString());
            }
            List<String> entryPoint = entryPoints.get(c.getImage());
            if (entryPoint == null) {
                throw new IllegalStateException("no local entry point for image " + c.getImage());
            }
            command.addAll(entryPoint);
            c.getArgs().forEach(a -> command.add(mapPaths(a, paths)));
            env.putAll(environment(pod, c, paths));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            exit = pb.start().waitFor();
        } catch (IOException | RuntimeException e) {
            writeQuietly(log, "local job runner: " + e + "\n");
            exit = 128;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        runs.add(new Run(pod.getMetadata().getName(), List.copyOf(command), Map.copyOf(env), exit, log));
        report(pod, c, exit, startedAt, Files.exists(terminationLog) ? readQuietly(terminationLog) : null);
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Each claim's mount path and the folder that stands for its volume. Other volumes (emptyDir
     * for /tmp) are left out: the local process has its own.
     */
    private Map<String, String> localPaths(Pod pod, Container c) {
        Map<String, String> paths = new HashMap<>();
        for (VolumeMount m : c.getVolumeMounts()) {
            Volume v = pod.getSpec().getVolumes().stream().filter(x -> x.getName().equals(m.getName())).findFirst()
                    .orElseThrow();
            if (v.getPersistentVolumeClaim() != null) {
                paths.put(m.getMountPath(), hostPath(v.getPersistentVolumeClaim().getClaimName()).toString());
            }
        }
        return paths;
    }

    private Path hostPath(String claim) {
        PersistentVolumeClaim pvc = client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get();
        PersistentVolume pv = pvc == null || pvc.getSpec().getVolumeName() == null ? null
                : client.persistentVolumes().withName(pvc.getSpec().getVolumeName()).get();
        if (pv == null || pv.getSpec().getHostPath() == null) {
            throw new IllegalStateException("claim " + claim + " has no hostPath volume (see createClaim)");
        }
        return Path.of(pv.getSpec().getHostPath().getPath());
    }

    /** Longest mount path first, so /sequor/data/x wins over /sequor/data. */
    private static String mapPaths(String value, Map<String, String> paths) {
        return paths.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed())
                .filter(p -> value.equals(p) || value.startsWith(p + "/")).findFirst()
                .map(p -> paths.get(p) + value.substring(p.length())).orElse(value);
    }

    private Map<String, String> environment(Pod pod, Container c, Map<String, String> paths) {
        Map<String, String> env = new HashMap<>();
        if (c.getEnvFrom() != null) {
            for (EnvFromSource from : c.getEnvFrom()) {
                if (from.getSecretRef() != null) {
                    env.putAll(secret(from.getSecretRef().getName()));
                }
            }
        }
        if (c.getEnv() != null) {
            for (EnvVar e : c.getEnv()) {
                if (e.getValue() != null) {
                    env.put(e.getName(), mapPaths(e.getValue(), paths));
                } else if (e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null
                        && "metadata.name".equals(e.getValueFrom().getFieldRef().getFieldPath())) {
                    env.put(e.getName(), pod.getMetadata().getName());
                } else if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                    String value = secret(e.getValueFrom().getSecretKeyRef().getName())
                            .get(e.getValueFrom().getSecretKeyRef().getKey());
                    if (value != null) {
                        env.put(e.getName(), value);
                    }
                }
            }
        }
        return env;
    }

    private Map<String, String> secret(String name) {
        Secret s = client.secrets().inNamespace(namespace).withName(name).get();
        Map<String, String> data = new HashMap<>();
        if (s != null && s.getData() != null) {
            s.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        return data;
    }

    /** What a kubelet writes when the container ends: a terminal phase, the exit code and the termination message. */
    private void report(Pod pod, Container c, int exit, String startedAt, String message) {
        client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).editStatus(p -> {
            p.getStatus().setPhase(exit == 0 ? "Succeeded" : "Failed");
            p.getStatus().getConditions().forEach(cond -> {
                if (cond.getType().equals("Ready") || cond.getType().equals("ContainersReady")) {
                    cond.setStatus("False");
                }
            });
            p.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName(c.getName())
                    .withImage(c.getImage()).withReady(false).withRestartCount(0).withStarted(false)
                    .withNewState().withNewTerminated().withExitCode(exit).withReason(exit == 0 ? "Completed" : "Error")
                    .withMessage(message)
                    .withStartedAt(startedAt).withFinishedAt(Instant.now().toString()).endTerminated().endState()
                    .build()));
            return p;
        });
    }

    private static void writeQuietly(Path log, String text) {
        try {
            Files.writeString(log, text, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        workers.shutdownNow();
    }
}
