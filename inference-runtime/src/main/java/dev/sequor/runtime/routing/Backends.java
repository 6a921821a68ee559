package dev.sequor.runtime.routing;

import dev.sequor.contract.Metrics;
import dev.sequor.contract.RuntimeContract;
import dev.sequor.routing.Route;
import dev.sequor.routing.StickyAssignment;
import dev.sequor.runtime.config.Durations;
import dev.sequor.runtime.config.RuntimeConfig;
import dev.sequor.runtime.inference.OipSignature;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Connections from the router to the predictors of its split: one pooled keep-alive HTTP client
 * (Vert.x, on the event loop) and one gRPC channel per predictor, and a readiness probe of each
 * predictor every probe interval (what the router's own readiness and fast 503s rest on).
 */
@ApplicationScoped
public class Backends {

    /**
     * An HTTP answer from a predictor; {@code headerLength} is its {@value OipSignature#HEADER_LENGTH}
     * (an OIP answer with binary outputs), else null.
     */
    public record HttpReply(int status, Buffer body, String headerLength, long nanos) {
    }

    private final Vertx vertx;
    private final RuntimeConfig config;
    private final SplitWatcher splits;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final Map<String, Boolean> up = new ConcurrentHashMap<>();
    private final MultiGauge upGauge;
    private HttpClient http;
    private long probeTimer = -1;

    public Backends(Vertx vertx, RuntimeConfig config, SplitWatcher splits, MeterRegistry registry) {
        this.vertx = vertx;
        this.config = config;
        this.splits = splits;
        this.upGauge = MultiGauge.builder(Metrics.BACKEND_UP).description("1 while the backend answers its readiness probe")
                .register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.router()) {
            return;
        }
        http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                        .setConnectTimeout(1000).setPipelining(false),
                new PoolOptions().setHttp1MaxSize(config.routing().maxConnections()).setMaxWaitQueueSize(10_000));
        long interval = Durations.parse(config.routing().probeInterval()).toMillis();
        probe();
        probeTimer = vertx.setPeriodic(interval, id -> probe());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (probeTimer >= 0) {
            vertx.cancelTimer(probeTimer);
        }
        channels.values().forEach(ManagedChannel::shutdownNow);
        if (http != null) {
            http.close();
        }
    }

    /** POST a JSON body to a predictor; fails on a transport error or when {@code timeout} passes. */
    public CompletableFuture<HttpReply> post(Route route, String path, Buffer body, String variant, Duration timeout) {
        return post(route, path, body, null, variant, timeout);
    }

    /**
     * POST a body to a predictor: JSON, or with {@code headerLength} set a JSON header and raw
     * tensors after it (the OIP binary tensor data extension).
     */
    public CompletableFuture<HttpReply> post(Route route, String path, Buffer body, String headerLength, String variant,
            Duration timeout) {
        long start = System.nanoTime();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(route.http() + path)
                .putHeader("Content-Type", headerLength == null ? "application/json" : "application/octet-stream")
                .putHeader(RuntimeContract.VARIANT_HEADER, variant).setTimeout(timeout.toMillis());
        if (headerLength != null) {
            options.putHeader(OipSignature.HEADER_LENGTH, headerLength);
        }
        return http.request(options)
                .compose(request -> request.send(body))
                .compose(response -> response.body().map(b -> new HttpReply(response.statusCode(), b,
                        response.getHeader(OipSignature.HEADER_LENGTH), System.nanoTime() - start)))
                .toCompletionStage().toCompletableFuture();
    }

    /** GET from a predictor (metadata calls the router passes to the champion). */
    public CompletableFuture<HttpReply> get(Route route, String path, Duration timeout) {
        long start = System.nanoTime();
        return http.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(route.http() + path)
                        .setTimeout(timeout.toMillis()))
                .compose(request -> request.send())
                .compose(response -> response.body().map(b -> new HttpReply(response.statusCode(), b, null,
                        System.nanoTime() - start)))
                .toCompletionStage().toCompletableFuture();
    }

    public ManagedChannel channel(Route route) {
        return channels.computeIfAbsent(route.grpc(), target -> ManagedChannelBuilder.forTarget(target).usePlaintext()
                .keepAliveTime(30, TimeUnit.SECONDS).build());
    }

    /** Whether the predictor answered its last readiness probe; unknown counts as up. */
    public boolean isUp(Route route) {
        return up.getOrDefault(route.http(), true);
    }

    /** Whether the predictor answered its last readiness probe (unknown counts as not). */
    public boolean reachable(Route route) {
        return up.getOrDefault(route.http(), false);
    }

    private void probe() {
        StickyAssignment assignment = splits.current();
        if (assignment == null) {
            return;
        }
        List<Route> routes = assignment.split().variants();
        for (Route route : routes) {
            channel(route).getState(true); // connects ahead of the first call
            get(route, RuntimeContract.READINESS_PATH, Duration.ofSeconds(1)).whenComplete((reply, error) ->
                    up.put(route.http(), error == null && reply.status() == 200));
        }
        upGauge.register(routes.stream().map(r -> MultiGauge.Row.of(Tags.of(Metrics.MODEL, assignment.split().model(),
                Metrics.VERSION, r.version(), Metrics.VARIANT, r.variant()), () -> isUp(r) ? 1 : 0)).toList(), true);
        // Channels to predictors that left the split are closed.
        channels.keySet().removeIf(target -> {
            boolean gone = routes.stream().noneMatch(r -> r.grpc().equals(target));
            if (gone) {
                channels.get(target).shutdown();
            }
            return gone;
        });
    }
}
