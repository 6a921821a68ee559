package dev.sequor.operator.bench;

import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.operator.testing.OperatorHarness;
import dev.sequor.operator.testing.RealCluster;
import dev.sequor.operator.testing.TestModels;
import dev.sequor.testing.AuditEntry;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * How the operator copes with many resources at once, on the real control plane: N
 * RecommenderModels applied together, then the time until every one has its Deployment, Service
 * and disruption budget and a status about the current generation (reconciled), and until it is Ready with its pods
 * running on kwok nodes), the operator's heap and CPU, and its API calls per resource (from the
 * API server's audit log). Run by {@code bench/operator-scale.sh}; prints a table.
 */
public final class OperatorScaleBenchmark {

    private static final Duration LIMIT = Duration.ofMinutes(10);

    private record Result(int n, double applied, double reconciled, double ready, long heapMb, double cpuSeconds,
            Map<String, Long> calls, Map<String, Double> controlPlaneCpu) {
    }

    /** How far the resources have got: the operator's part, then the pods'. */
    private record Progress(int reconciled, int ready) {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String a : args.length == 0 ? new String[] {"100", "1000"} : args) {
            sizes.add(Integer.parseInt(a));
        }
        List<Result> results = new ArrayList<>();
        for (int n : sizes) {
            results.add(run(n));
        }
        System.out.println();
        System.out.println("| resources | applied (s) | all reconciled (s) | all Ready (s) | JVM heap after (MB) "
                + "| JVM CPU (s, operator + driver) | operator API calls / resource | of which writes |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            long total = r.calls().values().stream().mapToLong(Long::longValue).sum();
            long writes = r.calls().entrySet().stream().filter(e -> e.getKey().startsWith("patch")
                    || e.getKey().startsWith("create") || e.getKey().startsWith("update")
                    || e.getKey().startsWith("delete")).mapToLong(Map.Entry::getValue).sum();
            System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.1f | %d | %.1f | %.2f | %.2f |%n", r.n(), r.applied(),
                    r.reconciled(), r.ready(), r.heapMb(), r.cpuSeconds(), (double) total / r.n(),
                    (double) writes / r.n());
        }
        System.out.println();
        System.out.println("CPU seconds used during each run (2 cores = 2 CPU-seconds per second):");
        System.out.println("| resources | operator JVM (+ driver) | kube-apiserver | etcd | kube-controller-manager "
                + "| kube-scheduler | kwok |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            Map<String, Double> c = r.controlPlaneCpu();
            System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n", r.n(), r.cpuSeconds(),
                    c.get("kube-apiserver"), c.get("etcd"), c.get("kube-controller-manager"), c.get("kube-scheduler"),
                    c.get("kwok"));
        }
        for (Result r : results) {
            System.out.println();
            System.out.println("Calls by kind for " + r.n() + " resources:");
            r.calls().forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-55s %6d%n", k, v));
        }
        System.exit(0);
    }

    private static Result run(int n) throws Exception {
        KubernetesClient admin = RealCluster.admin();
        String ns = RealCluster.newNamespace("scale" + n);
        System.out.printf("==> %d RecommenderModels in namespace %s%n", n, ns);
        System.gc();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        Map<String, Double> planeBefore = RealCluster.plane().cpuSeconds();
        Instant auditFrom = Instant.now();
        try (OperatorHarness ignored = OperatorHarness.start(ns, Optional.empty(), Optional.empty())) {
            Instant start = Instant.now();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<?>> creates = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                RecommenderModel m = TestModels.fromYaml("m" + i, ns,
                        "model: {uri: 'https://models.example/m/" + i + "'}\nserving: {resources: {cpu: 100m, memory: 256Mi}}");
                creates.add(pool.submit(() -> admin.resource(m).create()));
            }
            for (Future<?> f : creates) {
                f.get();
            }
            pool.shutdown();
            double applied = secondsSince(start);
            System.out.printf(Locale.ROOT, "    applied in %.1f s%n", applied);
            double reconciled = -1;
            Progress p = new Progress(0, 0);
            Instant lastReport = Instant.now();
            // Watched, not polled: listing a thousand objects a second would load the API server more than the operator.
            Watched watched = new Watched(admin, ns);
            while (p.ready() < n) {
                if (Duration.between(start, Instant.now()).compareTo(LIMIT) > 0) {
                    throw new IllegalStateException(p + " of " + n + " after " + LIMIT);
                }
                p = watched.progress();
                if (reconciled < 0 && p.reconciled() == n) {
                    reconciled = secondsSince(start);
                }
                if (Duration.between(lastReport, Instant.now()).toSeconds() >= 5) {
                    System.out.printf(Locale.ROOT, "    %.0f s: %d reconciled, %d Ready of %d%n", secondsSince(start),
                            p.reconciled(), p.ready(), n);
                    lastReport = Instant.now();
                }
                if (p.ready() < n) {
                    Thread.sleep(1000);
                }
            }
            double seconds = secondsSince(start);
            watched.close();
            double cpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
            System.gc();
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            long heap = memory.getHeapMemoryUsage().getUsed() / (1024 * 1024);
            System.out.printf(Locale.ROOT, "    all %d reconciled in %.1f s, Ready in %.1f s%n", n, reconciled, seconds);
            Map<String, Long> calls = countCalls(auditFrom, ns);
            Map<String, Double> plane = new java.util.LinkedHashMap<>();
            RealCluster.plane().cpuSeconds().forEach((k, v) -> plane.put(k, v - planeBefore.getOrDefault(k, 0.0)));
            return new Result(n, applied, reconciled, seconds, heap, cpu, calls, plane);
        } finally {
            RealCluster.deleteNamespace(ns);
        }
    }

    /** Informers on what the run creates, so counting costs the API server a watch, not a list a second. */
    private static final class Watched implements AutoCloseable {

        private final SharedIndexInformer<Deployment> deployments;
        private final SharedIndexInformer<Service> services;
        private final SharedIndexInformer<PodDisruptionBudget> budgets;
        private final SharedIndexInformer<RecommenderModel> models;

        Watched(KubernetesClient admin, String ns) {
            deployments = admin.apps().deployments().inNamespace(ns).inform();
            services = admin.services().inNamespace(ns).inform();
            budgets = admin.policy().v1().podDisruptionBudget().inNamespace(ns).inform();
            models = admin.resources(RecommenderModel.class).inNamespace(ns).inform();
        }

        /**
         * Reconciled: the Deployment, Service and disruption budget exist and status reports the
         * current generation with the model resolved. Ready: also the predictor pod is ready.
         */
        Progress progress() {
            int objects = Math.min(deployments.getStore().list().size(),
                    Math.min(services.getStore().list().size(), budgets.getStore().list().size()));
            int reconciled = 0;
            int ready = 0;
            for (RecommenderModel m : models.getStore().list()) {
                if (m.getStatus() == null || !m.getMetadata().getGeneration().equals(m.getStatus().observedGeneration())
                        || !m.getStatus().condition("ModelResolved").map(c -> c.isTrue()).orElse(false)) {
                    continue;
                }
                reconciled++;
                if (m.getStatus().condition("Ready").map(c -> c.isTrue()).orElse(false)) {
                    ready++;
                }
            }
            return new Progress(Math.min(reconciled, objects), Math.min(ready, objects));
        }

        @Override
        public void close() {
            deployments.close();
            services.close();
            budgets.close();
            models.close();
        }
    }

    private static Map<String, Long> countCalls(Instant from, String ns) throws InterruptedException {
        Thread.sleep(1000); // the audit log is written as responses complete
        List<AuditEntry> entries = RealCluster.plane().auditEntries().stream()
                .filter(e -> !e.received().isBefore(from))
                .filter(e -> e.namespace().isEmpty() || e.namespace().equals(ns))
                .toList();
        return new TreeMap<>(entries.stream().collect(Collectors.groupingBy(AuditEntry::call, Collectors.counting())));
    }

    private static double secondsSince(Instant start) {
        return Duration.between(start, Instant.now()).toMillis() / 1000.0;
    }

    private OperatorScaleBenchmark() {
    }
}
