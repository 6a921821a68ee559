package dev.sequor.runtime.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequor.contract.RuntimeContract;
import dev.sequor.routing.Route;
import dev.sequor.routing.Shadow;
import dev.sequor.routing.StickyAssignment;
import dev.sequor.routing.TrafficSplit;
import dev.sequor.runtime.grpc.v2.InferParameter;
import dev.sequor.runtime.grpc.v2.ModelInferRequest;
import dev.sequor.testing.GoldenPackages;
import dev.sequor.testing.RuntimeProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The processes the router's end-to-end tests run against, and how the tests talk to them: two
 * predictors serving the golden packages' versions 1 and 2, a router in front of them, and a
 * stranded router whose champion does not exist; each the packaged runtime as its own process on
 * loopback, configured as the operator configures pods. The traffic split is a file the tests
 * rewrite, as the kubelet does with a mounted ConfigMap.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RouterProcesses {

    protected static final String MODEL = "synthetic";
    protected static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(90);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    protected RuntimeProcess v1;
    protected RuntimeProcess v2;
    protected RuntimeProcess router;
    protected RuntimeProcess stranded;
    protected Route champion;
    protected Route candidate;
    private Path splitFile;

    @BeforeAll
    void startProcesses() throws Exception {
        v1 = predictor("v1", 1);
        v2 = predictor("v2", 2);
        Path dir = Files.createTempDirectory("sequor-split");
        splitFile = dir.resolve(TrafficSplit.FILE_NAME);
        champion = new Route("champion", "1", 50, v1.url(), v1.grpcTarget());
        candidate = new Route("candidate", "2", 50, v2.url(), v2.grpcTarget());
        write(split(50, null));
        router = RuntimeProcess.start("router", routerEnv(splitFile));
        Path strandedSplit = dir.resolve("stranded.json");
        Files.writeString(strandedSplit, TrafficSplit.single(MODEL, new Route("champion", "1", 100,
                "http://127.0.0.1:9", "127.0.0.1:9")).toJson());
        stranded = RuntimeProcess.start("stranded-router", routerEnv(strandedSplit));
        v1.awaitReady(START);
        v2.awaitReady(START);
        router.awaitReady(START);
    }

    @AfterAll
    void stopProcesses() {
        for (RuntimeProcess p : new RuntimeProcess[] {router, stranded, v1, v2}) {
            if (p != null) {
                p.close();
            }
        }
    }

    /**
     * Closed-loop users sending recommendation requests to the router until closed; anything but a
     * 200, and any exception, is a failure.
     */
    protected final class ClosedLoopUsers implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger ok = new AtomicInteger();
        private final List<String> failures = new CopyOnWriteArrayList<>();
        private final ExecutorService threads;
        private final List<Future<?>> loops = new ArrayList<>();

        /** @param userKey the user key of a thread's i-th request */
        ClosedLoopUsers(int count, BiFunction<Integer, Integer, String> userKey) {
            threads = Executors.newFixedThreadPool(count);
            for (int t = 0; t < count; t++) {
                int thread = t;
                loops.add(threads.submit(() -> {
                    int i = 0;
                    while (running.get()) {
                        try {
                            HttpResponse<String> r = recommend(router, userKey.apply(thread, i++));
                            if (r.statusCode() == 200) {
                                ok.incrementAndGet();
                            } else {
                                failures.add(r.statusCode() + " " + r.body());
                            }
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                }));
            }
        }

        /** Waits until {@code more} further requests have been answered 200. */
        void awaitAnswered(int more) {
            int from = ok.get();
            Awaitility.await().until(() -> ok.get() > from + more);
        }

        List<String> failures() {
            return failures;
        }

        @Override
        public void close() throws Exception {
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get();
            }
            threads.shutdown();
        }
    }

    private static RuntimeProcess predictor(String name, int version) throws IOException {
        return RuntimeProcess.start(name, Map.of(RuntimeContract.MODEL_NAME, MODEL,
                RuntimeContract.MODEL_VERSION, Integer.toString(version),
                RuntimeContract.MODEL_URI, GoldenPackages.version(version).toUri().toString(),
                RuntimeContract.BATCH_MAX_DELAY, "1ms", "SEQUOR_INFERENCE_THREADS", "1"));
    }

    private static Map<String, String> routerEnv(Path split) {
        return Map.of(RuntimeContract.MODEL_NAME, MODEL, RuntimeContract.ROLE, "router",
                RuntimeContract.ROUTER_SPLIT_FILE, split.toString(),
                "SEQUOR_ROUTER_RELOAD_INTERVAL", "200ms", "SEQUOR_ROUTER_PROBE_INTERVAL", "300ms",
                // Generous on a busy 2-core CI machine, where a cold predictor's first answers are slow;
                // the killed candidate below fails at once (connection refused), not by this deadline.
                "SEQUOR_ROUTER_CANDIDATE_TIMEOUT", "2s");
    }

    protected TrafficSplit split(int candidateWeight, Shadow shadow) {
        return new TrafficSplit(TrafficSplit.FORMAT_VERSION, MODEL, "experiment-1",
                List.of(candidate.withWeight(candidateWeight), champion.withWeight(100 - candidateWeight)), shadow);
    }

    /** Replaces the file at once, as the kubelet's symlink swap does, and waits until the router applies it. */
    protected void apply(TrafficSplit split) throws IOException {
        write(split);
        List<String> expected = split.variants().stream().map(r -> "\"" + r.variant() + "\": \"version " + r.version()
                + ", " + r.weight() + "%\"").toList();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            String ready = get(router.url() + "/q/health/ready").body().replaceAll("\\s+", " ");
            return expected.stream().allMatch(e -> ready.contains(e.replaceAll("\\s+", " ")));
        });
    }

    protected void write(TrafficSplit split) throws IOException {
        write(split.toJson());
    }

    protected void write(String content) throws IOException {
        Path tmp = splitFile.resolveSibling(".tmp-split");
        Files.writeString(tmp, content);
        Files.move(tmp, splitFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    protected static String target(RuntimeProcess p) {
        return p.url().substring("http://".length());
    }

    protected static List<String> ids(HttpResponse<String> response) throws IOException {
        List<String> ids = new ArrayList<>();
        JSON.readTree(response.body()).path("items").forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    protected static String firstUserIn(String variant, StickyAssignment assignment) {
        for (int u = 0; ; u++) {
            if (assignment.route("user-" + u).variant().equals(variant)) {
                return "user-" + u;
            }
        }
    }

    protected static ModelInferRequest grpcRequest(String user) {
        ModelInferRequest.Builder b = ModelInferRequest.newBuilder().setModelName(MODEL)
                .addInputs(tensor("history", 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3)).addInputs(tensor("exclude", 1, 1, 0))
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("k").setDatatype("INT64").addShape(1)
                        .setContents(dev.sequor.runtime.grpc.v2.InferTensorContents.newBuilder().addInt64Contents(5)));
        if (user != null) {
            b.putParameters(RuntimeContract.USER_PARAMETER, InferParameter.newBuilder().setStringParam(user).build());
        }
        return b.build();
    }

    private static ModelInferRequest.InferInputTensor tensor(String name, long rows, long cols, long... data) {
        dev.sequor.runtime.grpc.v2.InferTensorContents.Builder c = dev.sequor.runtime.grpc.v2.InferTensorContents.newBuilder();
        for (long d : data) {
            c.addInt64Contents(d);
        }
        return ModelInferRequest.InferInputTensor.newBuilder().setName(name).setDatatype("INT64").addShape(rows).addShape(cols)
                .setContents(c).build();
    }

    protected HttpResponse<String> recommend(RuntimeProcess target, String user) throws IOException, InterruptedException {
        return post(target.url() + "/v1/recommendations", "{\"userId\":\"" + user + "\",\"history\":[\"item-3\",\"item-7\"],\"k\":5}",
                Map.of());
    }

    protected HttpResponse<String> post(String url, String body, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Sum of a metric's samples whose labels contain all of {@code labels}. */
    protected double metric(RuntimeProcess target, String name, String... labels) throws IOException, InterruptedException {
        double sum = 0;
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$").matcher(get(target.url() + "/q/metrics").body());
        while (m.find()) {
            String found = m.group(1) == null ? "" : m.group(1);
            if (java.util.Arrays.stream(labels).allMatch(found::contains)) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }
}
