package dev.sequor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Kubernetes control plane on loopback: etcd, kube-apiserver (RBAC, audit log, service
 * accounts), kube-controller-manager (Deployments, ReplicaSets, garbage collection, namespaces,
 * service accounts), kube-scheduler and kwok (fake nodes: pods are scheduled and become Running
 * and Ready without kubelets or containers). Built from the Go module proxy and cached by
 * {@code scripts/kube-control-plane.sh}.
 *
 * <p>One control plane per test JVM ({@link #shared()}), started on first use and stopped when
 * the JVM exits; tests isolate themselves by namespace. Two identities are known to the server:
 * {@link #adminToken()} (group {@code system:masters}) and {@link #OPERATOR_USER}, the operator's
 * service account from {@code manifests/base}, which has only what RBAC bindings give it; the
 * audit log records that identity's requests.
 */
public final class KubeControlPlane implements AutoCloseable {

    /** The operator's identity: the service account the manifests bind the ClusterRole to. */
    public static final String OPERATOR_USER = "system:serviceaccount:sequor-system:sequor-operator";
    /** Annotation value kwok manages nodes by. */
    public static final String FAKE_NODE_ANNOTATION = "kwok.x-k8s.io/node";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static KubeControlPlane shared;

    private final Path work;
    private final String url;
    private final String adminToken;
    private final String operatorToken;
    private final List<Process> processes;

    private KubeControlPlane(Path work, String url, String adminToken, String operatorToken, List<Process> processes) {
        this.work = work;
        this.url = url;
        this.adminToken = adminToken;
        this.operatorToken = operatorToken;
        this.processes = processes;
    }

    /** The JVM's control plane, started on first call (seconds once the binaries are cached). */
    public static synchronized KubeControlPlane shared() {
        if (shared == null) {
            shared = start();
            KubeControlPlane started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "kube-control-plane-stop"));
        }
        return shared;
    }

    public static KubeControlPlane start() {
        Path installed = Path.of(Repo.runScript("scripts/kube-control-plane.sh").trim());
        Path bin = installed.resolve("bin");
        List<Process> processes = new ArrayList<>();
        try {
            Path work = Files.createTempDirectory("sequor-kube");
            String adminToken = LoopbackCredentials.randomToken();
            String operatorToken = LoopbackCredentials.randomToken();
            Files.writeString(work.resolve("tokens.csv"), String.join("\n",
                    adminToken + ",admin,admin-uid,\"system:masters\"",
                    operatorToken + "," + OPERATOR_USER + ",operator-uid,"
                            + "\"system:serviceaccounts,system:serviceaccounts:sequor-system\"") + "\n");
            Files.writeString(work.resolve("audit-policy.yaml"), """
                    apiVersion: audit.k8s.io/v1
                    kind: Policy
                    omitStages: [RequestReceived]
                    rules:
                    - level: Metadata
                      users: ["%s"]
                    - level: None
                    """.formatted(OPERATOR_USER));
            LoopbackCredentials.writeServiceAccountKeys(work.resolve("sa.key"), work.resolve("sa.pub"));

            int etcdPort = Loopback.freePort();
            int etcdPeerPort = Loopback.freePort();
            processes.add(launch(work, "etcd", List.of(bin.resolve("etcd").toString(),
                    "--data-dir", work.resolve("etcd").toString(),
                    "--listen-client-urls", "http://127.0.0.1:" + etcdPort,
                    "--advertise-client-urls", "http://127.0.0.1:" + etcdPort,
                    "--listen-peer-urls", "http://127.0.0.1:" + etcdPeerPort,
                    "--initial-advertise-peer-urls", "http://127.0.0.1:" + etcdPeerPort,
                    "--initial-cluster", "default=http://127.0.0.1:" + etcdPeerPort,
                    // Test data: durability across power loss is not what is tested here.
                    "--unsafe-no-fsync", "--log-level", "warn")));

            int apiPort = Loopback.freePort();
            String url = "https://127.0.0.1:" + apiPort;
            processes.add(launch(work, "kube-apiserver", List.of(bin.resolve("kube-apiserver").toString(),
                    "--etcd-servers", "http://127.0.0.1:" + etcdPort,
                    "--bind-address", "127.0.0.1", "--secure-port", Integer.toString(apiPort),
                    "--cert-dir", work.resolve("certs").toString(),
                    "--token-auth-file", work.resolve("tokens.csv").toString(),
                    "--authorization-mode", "RBAC",
                    "--service-account-issuer", "https://kubernetes.default.svc.cluster.local",
                    "--service-account-key-file", work.resolve("sa.pub").toString(),
                    "--service-account-signing-key-file", work.resolve("sa.key").toString(),
                    "--service-cluster-ip-range", "10.96.0.0/16",
                    "--endpoint-reconciler-type", "none",
                    "--audit-policy-file", work.resolve("audit-policy.yaml").toString(),
                    "--audit-log-path", work.resolve("audit.log").toString(),
                    "--audit-log-mode", "blocking",
                    "--v", "1")));
            KubeControlPlane plane = new KubeControlPlane(work, url, adminToken, operatorToken, processes);
            plane.awaitReady();

            Path kubeconfig = plane.writeKubeconfig();
            processes.add(launch(work, "kube-controller-manager", List.of(
                    bin.resolve("kube-controller-manager").toString(),
                    "--kubeconfig", kubeconfig.toString(),
                    "--leader-elect=false", "--secure-port", "0",
                    "--controllers", "deployment-controller,replicaset-controller,garbage-collector-controller,"
                            + "namespace-controller,serviceaccount-controller,node-lifecycle-controller,job-controller,"
                            + "ttl-after-finished-controller,persistentvolume-binder-controller",
                    "--concurrent-deployment-syncs", "10", "--concurrent-replicaset-syncs", "10",
                    // kwok renews the node's Lease; on 2 busy cores a renewal can be late. A late
                    // heartbeat must not mark the node NotReady and every pod with it.
                    "--node-monitor-grace-period", "5m",
                    "--kube-api-qps", "200", "--kube-api-burst", "400")));
            processes.add(launch(work, "kube-scheduler", List.of(bin.resolve("kube-scheduler").toString(),
                    "--kubeconfig", kubeconfig.toString(), "--leader-elect=false", "--secure-port", "0")));
            processes.add(launch(work, "kwok", List.of(bin.resolve("kwok").toString(),
                    "--kubeconfig", kubeconfig.toString(),
                    "--config", withoutPodCompletion(installed.resolve("kwok-stages.yaml"), work).toString(),
                    "--manage-all-nodes=false",
                    "--manage-nodes-with-annotation-selector", FAKE_NODE_ANNOTATION + "=fake",
                    "--cidr", "10.244.0.1/16", "--node-ip", "10.0.0.1",
                    "--server-address", "127.0.0.1:" + Loopback.freePort())));
            plane.createFakeNode("fake-node-0");
            return plane;
        } catch (IOException e) {
            processes.forEach(Process::destroyForcibly);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            processes.forEach(Process::destroyForcibly);
            throw e;
        }
    }

    /**
     * kwok's stages without "pod-complete", which would end every Job's pod at once as if it had
     * succeeded: Job pods are left Running for the tests' LocalJobRunner, which runs their command and
     * reports how it ended, as a kubelet would.
     */
    private static Path withoutPodCompletion(Path stages, Path work) throws IOException {
        String kept = java.util.Arrays.stream(Files.readString(stages).split("(?m)^---\\s*$"))
                .filter(stage -> !stage.contains("name: pod-complete")).filter(stage -> !stage.isBlank())
                .collect(java.util.stream.Collectors.joining("---\n", "---\n", ""));
        Path out = work.resolve("kwok-stages.yaml");
        Files.writeString(out, kept);
        return out;
    }

    /** https://127.0.0.1:PORT, with a self-signed certificate (clients trust it blindly). */
    public String url() {
        return url;
    }

    public String adminToken() {
        return adminToken;
    }

    /** The bearer token of {@link #OPERATOR_USER}. */
    public String operatorToken() {
        return operatorToken;
    }

    /** JSON lines, one per request of {@link #OPERATOR_USER} (audit level Metadata). */
    public Path auditLog() {
        return work.resolve("audit.log");
    }

    /** The operator identity's requests so far, in order (completed ones; a running watch once it started). */
    public List<AuditEntry> auditEntries() {
        return AuditEntry.read(auditLog());
    }

    /** CPU seconds (user + system) each control-plane process has used so far, by component. */
    public Map<String, Double> cpuSeconds() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        String[] names = {"etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"};
        for (int i = 0; i < processes.size() && i < names.length; i++) {
            Path stat = Path.of("/proc", Long.toString(processes.get(i).pid()), "stat");
            try {
                String[] f = Files.readString(stat).substring(Files.readString(stat).lastIndexOf(')') + 2).split(" ");
                // fields 14 and 15 of /proc/PID/stat (utime, stime), counted after the command name
                cpu.put(names[i], (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0);
            } catch (IOException | RuntimeException e) {
                cpu.put(names[i], Double.NaN);
            }
        }
        return cpu;
    }

    /** A kubeconfig file for the admin identity, for kubectl-like tools. */
    public Path kubeconfig() {
        return work.resolve("admin.kubeconfig");
    }

    /** The log of one component (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok). */
    public Path log(String component) {
        return work.resolve(component + ".log");
    }

    private Path writeKubeconfig() throws IOException {
        return Files.writeString(kubeconfig(), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster: {server: "%s", insecure-skip-tls-verify: true}
                users:
                - name: admin
                  user: {token: "%s"}
                contexts:
                - name: test
                  context: {cluster: test, user: admin}
                current-context: test
                """.formatted(url, adminToken));
    }

    /** A node kwok keeps Ready, with room for thousands of pods and 8 GPUs (a pod asking for more stays Pending). */
    private void createFakeNode(String name) throws IOException {
        String node = """
                {"apiVersion": "v1", "kind": "Node",
                 "metadata": {"name": "%s", "annotations": {"%s": "fake", "node.alpha.kubernetes.io/ttl": "0"},
                              "labels": {"kubernetes.io/hostname": "%s", "kubernetes.io/os": "linux",
                                         "kubernetes.io/arch": "amd64", "type": "kwok"}},
                 "status": {"allocatable": {"cpu": "512", "memory": "2Ti", "pods": "5000", "nvidia.com/gpu": "8"},
                            "capacity": {"cpu": "512", "memory": "2Ti", "pods": "5000", "nvidia.com/gpu": "8"}}}
                """.formatted(name, FAKE_NODE_ANNOTATION, name);
        try {
            HttpResponse<String> r = http().send(HttpRequest.newBuilder(URI.create(url + "/api/v1/nodes"))
                    .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(node)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                throw new IllegalStateException("could not create node " + name + ": " + r.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpClient http() {
        return HttpClient.newBuilder().sslContext(LoopbackCredentials.trustAll())
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    private void awaitReady() {
        HttpClient http = http();
        HttpRequest readyz = HttpRequest.newBuilder(URI.create(url + "/readyz"))
                .header("Authorization", "Bearer " + adminToken).timeout(Duration.ofSeconds(2)).build();
        boolean ready = Loopback.awaitOk(http, readyz, START_TIMEOUT, 200, () -> {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a control-plane process exited early; logs in " + work + ":\n"
                            + tail(log("kube-apiserver")) + "\n" + tail(log("etcd")));
                }
            }
        });
        if (ready) {
            return;
        }
        throw new IllegalStateException("kube-apiserver not ready after " + START_TIMEOUT + ":\n"
                + tail(log("kube-apiserver")));
    }

    /** Stops every process and deletes the data and logs, unless {@code -Dsequor.kube.keep=true}. */
    @Override
    public void close() {
        stopProcesses();
        if (!Boolean.getBoolean("sequor.kube.keep")) {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort: a temporary directory
            }
        }
    }

    private void stopProcesses() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    private static Process launch(Path work, String name, List<String> command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile()).start();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
