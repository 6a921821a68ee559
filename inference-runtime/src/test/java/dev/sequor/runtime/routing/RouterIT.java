package dev.sequor.runtime.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sequor.contract.RuntimeContract;
import dev.sequor.routing.Route;
import dev.sequor.routing.Shadow;
import dev.sequor.routing.ShadowComparison;
import dev.sequor.routing.StickyAssignment;
import dev.sequor.routing.TrafficSplit;
import dev.sequor.runtime.grpc.v2.GRPCInferenceServiceGrpc;
import dev.sequor.runtime.grpc.v2.ModelInferResponse;
import dev.sequor.testing.PrometheusServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The router end to end, against the real processes of {@link RouterProcesses}: stickiness,
 * pass-through of every API, feedback attribution, weight changes and a killed candidate under
 * load, refused splits, shadows, no backend, and the dashboard's queries.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RouterIT extends RouterProcesses {

    private ServerSocket blackhole;
    private final List<Socket> heldConnections = new CopyOnWriteArrayList<>();

    /** A fake that accepts connections and never answers: a fault no real runtime shows on demand. */
    @BeforeAll
    void startBlackhole() throws IOException {
        blackhole = new ServerSocket(0);
        Thread accept = new Thread(() -> {
            while (!blackhole.isClosed()) {
                try {
                    heldConnections.add(blackhole.accept());
                } catch (IOException closed) {
                    return;
                }
            }
        }, "blackhole");
        accept.setDaemon(true);
        accept.start();
    }

    @AfterAll
    void stopBlackhole() throws IOException {
        blackhole.close();
    }

    @Test
    @Order(1)
    void everyUserSticksToTheVariantItsBucketGives() throws Exception {
        StickyAssignment expected = new StickyAssignment(split(50, null));
        int inCandidate = 0;
        for (int u = 0; u < 200; u++) {
            String user = "user-" + u;
            String variant = expected.route(user).variant();
            for (int repeat = 0; repeat < 2; repeat++) {
                HttpResponse<String> r = recommend(router, user);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                JsonNode body = JSON.readTree(r.body());
                assertThat(body.path("variant").asText()).as(user).isEqualTo(variant);
                assertThat(r.headers().firstValue(RuntimeContract.VARIANT_HEADER)).contains(variant);
                assertThat(r.headers().firstValue(RuntimeContract.VERSION_HEADER))
                        .contains(variant.equals("candidate") ? "2" : "1");
                assertThat(body.path("version").asText()).isEqualTo(variant.equals("candidate") ? "2" : "1");
            }
            inCandidate += variant.equals("candidate") ? 1 : 0;
        }
        assertThat(inCandidate).isBetween(70, 130);
        // No user key: the champion, counted as such.
        HttpResponse<String> anonymous = post(router.url() + "/v1/recommendations", "{\"history\":[\"item-3\"]}", Map.of());
        assertThat(anonymous.headers().firstValue(RuntimeContract.VARIANT_HEADER)).contains("champion");
        // The user key may come in the configured header instead of the body.
        String someCandidateUser = firstUserIn("candidate", expected);
        HttpResponse<String> byHeader = post(router.url() + "/v1/recommendations", "{\"history\":[\"item-3\"]}",
                Map.of(RuntimeContract.USER_HEADER, someCandidateUser));
        assertThat(byHeader.headers().firstValue(RuntimeContract.VARIANT_HEADER)).contains("candidate");
    }

    @Test
    @Order(2)
    void openInferenceProtocolPassesThroughRestAndGrpc() throws Exception {
        StickyAssignment expected = new StickyAssignment(split(50, null));
        String candidateUser = firstUserIn("candidate", expected);
        String championUser = firstUserIn("champion", expected);
        String infer = "{\"parameters\":{\"user_id\":\"%s\"},\"inputs\":[{\"name\":\"history\",\"datatype\":\"INT64\","
                + "\"shape\":[1,12],\"data\":[0,0,0,0,0,0,0,0,0,1,2,3]},{\"name\":\"exclude\",\"datatype\":\"INT64\",\"shape\":[1,1],"
                + "\"data\":[0]},{\"name\":\"k\",\"datatype\":\"INT64\",\"shape\":[1],\"data\":[5]}]}";
        for (String user : List.of(candidateUser, championUser)) {
            String variant = expected.route(user).variant();
            HttpResponse<String> r = post(router.url() + "/v2/models/" + MODEL + "/infer", infer.formatted(user), Map.of());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.path("parameters").path(RuntimeContract.VARIANT_PARAMETER).asText()).isEqualTo(variant);
            assertThat(body.path("model_version").asText()).isEqualTo(variant.equals("candidate") ? "2" : "1");
            assertThat(r.headers().firstValue(RuntimeContract.VARIANT_HEADER)).contains(variant);
        }
        ManagedChannel channel = ManagedChannelBuilder.forTarget(router.grpcTarget()).usePlaintext().build();
        try {
            for (String user : List.of(candidateUser, championUser)) {
                String variant = expected.route(user).variant();
                AtomicReference<Metadata> headers = new AtomicReference<>();
                AtomicReference<Metadata> trailers = new AtomicReference<>();
                Metadata userHeader = new Metadata();
                userHeader.put(Metadata.Key.of(RuntimeContract.USER_HEADER, Metadata.ASCII_STRING_MARSHALLER), user);
                ModelInferResponse response = GRPCInferenceServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(userHeader),
                                MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
                        .modelInfer(grpcRequest(null));
                assertThat(response.getModelVersion()).isEqualTo(variant.equals("candidate") ? "2" : "1");
                assertThat(response.getParametersOrThrow(RuntimeContract.VARIANT_PARAMETER).getStringParam()).isEqualTo(variant);
                assertThat(headers.get().get(Metadata.Key.of(RuntimeContract.VARIANT_HEADER, Metadata.ASCII_STRING_MARSHALLER)))
                        .isEqualTo(variant);
                // The OIP request parameter works as the key too.
                assertThat(GRPCInferenceServiceGrpc.newBlockingStub(channel).modelInfer(grpcRequest(user))
                        .getParametersOrThrow(RuntimeContract.VARIANT_PARAMETER).getStringParam()).isEqualTo(variant);
            }
        } finally {
            channel.shutdownNow();
        }
    }

    /**
     * tritonclient from PyPI, unchanged, as a user runs it: REST in its default binary mode, in JSON
     * mode and mixed, and gRPC, with the optional inputs left out; at a predictor and through the router.
     */
    @Test
    @Order(2)
    void theStockTritonClientWorksInEveryModeDirectlyAndThroughTheRouter() throws Exception {
        StickyAssignment expected = new StickyAssignment(split(50, null));
        JsonNode direct = StockOipClient.call(target(v1), v1.grpcTarget(), MODEL, "anyone", "1,2,3", 12);
        checkStockClientAnswers(direct, "1");
        for (String variant : List.of("champion", "candidate")) {
            JsonNode routed = StockOipClient.call(target(router), router.grpcTarget(), MODEL,
                    firstUserIn(variant, expected), "1,2,3", 12);
            checkStockClientAnswers(routed, variant.equals("candidate") ? "2" : "1");
            if (variant.equals("champion")) {
                assertThat(routed.path("http_default")).as("the router passes the bytes through")
                        .isEqualTo(direct.path("http_default"));
            }
        }
    }

    private static void checkStockClientAnswers(JsonNode calls, String version) {
        JsonNode metadata = calls.path("http_metadata");
        assertThat(metadata.path("inputs").findValuesAsText("name")).containsExactly("history", "exclude", "k");
        assertThat(metadata.path("inputs").get(1).path("optional").asBoolean()).isTrue();
        for (String call : List.of("http_default", "http_binary_k5", "http_json_k5", "http_items_only_k5",
                "grpc_default", "grpc_k5")) {
            assertThat(calls.path(call).path("version").asText()).as(call).isEqualTo(version);
        }
        JsonNode defaults = calls.path("http_default");
        assertThat(defaults.path("items")).as("2 rows of the default k = 10").hasSize(2);
        assertThat(defaults.path("items").get(0)).hasSize(10);
        List<Long> top = longs(defaults.path("items").get(0));
        assertThat(top).as("the history is excluded by default").doesNotContain(0L, 1L, 2L, 3L);
        assertThat(calls.path("grpc_default")).as("gRPC with the same defaults").isEqualTo(defaults);

        JsonNode binary = calls.path("http_binary_k5");
        assertThat(binary.path("items").get(0)).hasSize(5);
        assertThat(top.subList(0, 5)).as("an explicit exclude of the history and k = 5: the same first five")
                .containsExactlyElementsOf(longs(binary.path("items").get(0)));
        assertThat(calls.path("http_json_k5")).as("JSON mode answers as binary mode").isEqualTo(binary);
        assertThat(calls.path("grpc_k5")).as("gRPC answers as REST").isEqualTo(binary);
        assertThat(calls.path("http_items_only_k5").path("items")).isEqualTo(binary.path("items"));
        assertThat(calls.path("http_items_only_k5").path("scores").isNull()).as("only the output asked for").isTrue();
        assertThat(calls.path("http_bad_shape").asText()).contains("must have shape [batch, 12]");
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asLong()));
        return values;
    }

    @Test
    @Order(3)
    void feedbackIsCreditedToTheVariantThatServedTheUser() throws Exception {
        StickyAssignment expected = new StickyAssignment(split(50, null));
        String user = firstUserIn("candidate", expected);
        JsonNode served = JSON.readTree(recommend(router, user).body());
        String shown = served.path("items").get(0).path("id").asText();
        HttpResponse<String> feedback = post(router.url() + "/v1/feedback", "{\"recommendationId\":\"" + served.path("id").asText()
                + "\",\"userId\":\"" + user + "\",\"itemId\":\"" + shown + "\",\"event\":\"click\"}", Map.of());
        assertThat(feedback.statusCode()).isEqualTo(202);
        JsonNode credited = JSON.readTree(feedback.body());
        assertThat(credited.path("variant").asText()).isEqualTo("candidate");
        assertThat(credited.path("version").asText()).isEqualTo("2");
        assertThat(credited.path("hit").asBoolean()).isTrue();
        assertThat(metric(router, "sequor_feedback_hits_total", "event=\"click\"", "variant=\"candidate\"", "version=\"2\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(metric(router, "sequor_recommendations_served_total", "variant=\"candidate\"", "version=\"2\""))
                .isGreaterThanOrEqualTo(1);
        // The predictors behind the router did not count the requests a second time.
        assertThat(get(v2.url() + "/q/metrics").body()).doesNotContain("sequor_requests_total{");
    }

    @Test
    @Order(4)
    void aWeightChangeUnderLoadDropsNoRequestAndMovesOnlyNewUsers() throws Exception {
        apply(split(5, null));
        try (ClosedLoopUsers users = new ClosedLoopUsers(16, (thread, i) -> "load-" + thread + "-" + i % 50)) {
            users.awaitAnswered(200);
            apply(split(50, null));
            users.awaitAnswered(200);
            users.close();
            assertThat(users.failures()).isEmpty();
        }
        // Everyone now gets the new split's variant; users of the 5% canary are still in it.
        StickyAssignment at5 = new StickyAssignment(split(5, null));
        StickyAssignment at50 = new StickyAssignment(split(50, null));
        for (int u = 0; u < 100; u++) {
            String user = "user-" + u;
            String now = JSON.readTree(recommend(router, user).body()).path("variant").asText();
            assertThat(now).isEqualTo(at50.route(user).variant());
            if (at5.route(user).variant().equals("candidate")) {
                assertThat(now).isEqualTo("candidate");
            }
        }
    }

    @Test
    @Order(5)
    void anInvalidSplitIsRefusedWholeAndTheLastOneStays() throws Exception {
        double refusedBefore = metric(router, "sequor_split_rejected_total");
        write(split(50, null).toJson().replace("\"weight\" : 50", "\"weight\" : 40"));
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> metric(router, "sequor_split_rejected_total") > refusedBefore);
        assertThat(get(router.url() + "/q/health/ready").statusCode()).isEqualTo(200);
        assertThat(get(router.url() + "/q/health/ready").body()).contains("version 2, 50%");
        assertThat(recommend(router, "user-1").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(6)
    void aShadowNeverChangesNorDelaysTheAnswer() throws Exception {
        // A fake that accepts connections and never answers: a fault no real runtime shows on demand.
        Route silent = new Route("candidate", "9", 0, "http://127.0.0.1:" + blackhole.getLocalPort(),
                "127.0.0.1:" + blackhole.getLocalPort());
        apply(new TrafficSplit(1, MODEL, "experiment-1", List.of(silent, champion.withWeight(100)), new Shadow("candidate", 1.0)));
        for (int u = 0; u < 20; u++) {
            String user = "user-" + u;
            HttpResponse<String> routed = recommend(router, user);
            HttpResponse<String> direct = recommend(v1, user);
            assertThat(routed.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(routed.body()).path("items")).isEqualTo(JSON.readTree(direct.body()).path("items"));
            assertThat(routed.headers().firstValue(RuntimeContract.VARIANT_HEADER)).contains("champion");
        }
        // Every answer came back while the shadow copies were still unanswered.
        assertThat(heldConnections).isNotEmpty();
        // With a real shadow (version 2), the two answers are compared.
        apply(new TrafficSplit(1, MODEL, "experiment-1", List.of(candidate.withWeight(0), champion.withWeight(100)),
                new Shadow("candidate", 1.0)));
        for (int u = 0; u < 20; u++) {
            assertThat(JSON.readTree(recommend(router, "user-" + u).body()).path("variant").asText()).isEqualTo("champion");
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> metric(router, "sequor_shadow_comparisons_total",
                "outcome=\"compared\"", "variant=\"candidate\"", "version=\"2\"") >= 20);
        // Every user here has the same history, so each comparison is of the same two lists.
        List<String> served = ids(recommend(v1, "user-0"));
        List<String> shadowed = ids(recommend(v2, "user-0"));
        double count = metric(router, "sequor_shadow_overlap_count", "variant=\"candidate\"");
        assertThat(metric(router, "sequor_shadow_overlap_sum", "variant=\"candidate\""))
                .isCloseTo(count * ShadowComparison.overlapAtK(shadowed, served, served.size()), within(1e-6));
        assertThat(metric(router, "sequor_shadow_rank_biased_overlap_sum", "variant=\"candidate\"")).isCloseTo(
                count * ShadowComparison.rankBiasedOverlap(shadowed, served, ShadowComparison.RBO_PERSISTENCE), within(1e-6));
        // The silent shadow's copies end as errors once the router's timeout passes.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> metric(router, "sequor_shadow_comparisons_total",
                "outcome=\"error\"", "version=\"9\"") >= 20);
    }

    @Test
    @Order(7)
    void aRouterWithNoReachableChampionAnswers503NotAHang() throws Exception {
        // Its split names a champion at a port nothing listens on.
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            try {
                return get(stranded.url() + "/q/health/ready").body().contains("is not reachable");
            } catch (IOException starting) {
                return false;
            }
        });
        HttpResponse<String> ready = get(stranded.url() + "/q/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        HttpResponse<String> r = recommend(stranded, "user-1");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(r.body()).path("error").asText()).contains("champion").contains("did not answer");
        HttpResponse<String> oip = post(stranded.url() + "/v2/models/" + MODEL + "/infer", "{\"inputs\":[]}", Map.of());
        assertThat(oip.statusCode()).isEqualTo(503);
    }

    @Test
    @Order(8)
    void aCandidateKilledUnderLoadNeverShowsAnError() throws Exception {
        apply(split(50, null));
        double fallbacksBefore = metric(router, "sequor_fallbacks_total", "variant=\"candidate\"");
        try (ClosedLoopUsers users = new ClosedLoopUsers(8, (thread, i) -> "kill-" + thread + "-" + i % 40)) {
            users.awaitAnswered(200);
            v2.kill();
            users.awaitAnswered(300);
            users.close();
            assertThat(users.failures()).isEmpty();
        }
        assertThat(metric(router, "sequor_fallbacks_total", "variant=\"candidate\"")).isGreaterThan(fallbacksBefore);
        StickyAssignment expected = new StickyAssignment(split(50, null));
        HttpResponse<String> r = recommend(router, firstUserIn("candidate", expected));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue(RuntimeContract.VARIANT_HEADER)).contains("champion");
    }

    @Test
    @Order(9)
    void everySeriesTheDashboardQueriesIsExportedByTheRuntime() throws Exception {
        // After the tests above, the router has counted requests, fallbacks, feedback, shadows and
        // splits, and the predictors their batches: every metric the dashboard uses must be there.
        java.util.Set<String> used = new java.util.TreeSet<>();
        for (String expr : dashboardQueries()) {
            Matcher m = Pattern.compile("sequor_[a-z_]+").matcher(expr);
            while (m.find()) {
                used.add(m.group());
            }
        }
        assertThat(used).hasSizeGreaterThan(10);
        // The stranded router (no champion reachable) is the one that counted server errors.
        String exported = get(router.url() + "/q/metrics").body() + get(stranded.url() + "/q/metrics").body()
                + get(v1.url() + "/q/metrics").body();
        for (String series : used) {
            assertThat(exported).as("a sample of " + series).containsPattern("(?m)^" + series + "[{ ]");
        }
    }

    @Test
    @Order(10)
    void everyDashboardQueryIsValidPromqlThatARealPrometheusAnswers() throws Exception {
        // A real Prometheus scraping the router and both predictors (v2 was killed above: a down target).
        try (PrometheusServer prometheus = PrometheusServer.start(List.of(target(router), target(stranded), target(v1),
                target(v2)))) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> prometheus
                    .query("sum(sequor_requests_total{model=\"synthetic\"})").path("data").path("result").size() > 0);
            // Two scrapes at least, so rate() has two samples.
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> prometheus
                    .query("sum(rate(sequor_requests_total{model=\"synthetic\"}[1m])) >= 0").path("data").path("result").size() > 0);
            for (String expr : dashboardQueries()) {
                String query = expr.replace("$model", MODEL).replace("$__rate_interval", "1m");
                JsonNode answer = prometheus.query(query);
                assertThat(answer.path("status").asText()).as(query + " -> " + answer).isEqualTo("success");
            }
            // And a rate the dashboard plots has a value: requests/s per variant.
            assertThat(prometheus.query("sum by (variant) (rate(sequor_requests_total{model=\"synthetic\"}[1m]))")
                    .path("data").path("result").size()).isPositive();
            // A malformed query is refused by the same server: the check above can fail.
            assertThat(prometheus.query("sum by (variant (rate(sequor_requests_total[1m]))").path("status").asText())
                    .isEqualTo("error");
        }
    }

    private static List<String> dashboardQueries() throws IOException {
        JsonNode dashboard = JSON.readTree(dev.sequor.testing.Repo.root().resolve("manifests/monitoring/grafana-dashboard.json")
                .toFile());
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode t : panel.path("targets")) {
                queries.add(t.path("expr").asText());
            }
        }
        return queries;
    }

}
