package dev.sequor.runtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TrainedModels.class, restrictToAnnotatedClass = false)
class BatchingAndHotSwapTest {

    @BeforeEach
    void modelLoaded() {
        TrainedModels.awaitReady();
    }

    @TestHTTPResource("/v1/recommendations")
    URL recommendations;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void batchedAnswersEqualUnbatchedOnes() throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int u = 0; u < 48; u++) {
            bodies.add("{\"history\":[\"item-" + (1 + u % 97) + "\",\"item-" + (2 + (u * 7) % 97) + "\",\"item-"
                    + (3 + (u * 13) % 97) + "\"],\"k\":7}");
        }
        List<String> alone = new ArrayList<>();
        for (String body : bodies) {
            alone.add(send(body).body());
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<HttpResponse<String>>> together = new ArrayList<>();
            for (String body : bodies) {
                together.add(pool.submit(() -> send(body)));
            }
            for (int i = 0; i < bodies.size(); i++) {
                HttpResponse<String> r = together.get(i).get();
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(ids(r.body())).as("request %d", i).isEqualTo(ids(alone.get(i)));
            }
        } finally {
            pool.shutdownNow();
        }
        String metrics = given().get("/q/metrics").then().extract().asString();
        assertThat(metrics).containsPattern("sequor_batch_size_max\\{[^}]*\\} ([2-9]|1[0-6])\\.0");
    }

    @Test
    void hotSwapUnderLoadFailsNoRequest() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = new ArrayList<>();
        Set<String> versions = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            workers.add(pool.submit(() -> {
                while (running.get()) {
                    HttpResponse<String> r = send("{\"history\":[\"item-4\",\"item-8\"],\"k\":5}");
                    if (r.statusCode() == 200) {
                        ok.incrementAndGet();
                        versions.add(r.body().replaceAll(".*\"version\":\"([^\"]*)\".*", "$1"));
                    } else {
                        synchronized (failures) {
                            failures.add(r.statusCode() + " " + r.body());
                        }
                    }
                }
                return null;
            }));
        }
        Thread.sleep(500);
        given().contentType(ContentType.JSON).body("{\"uri\":\"" + TrainedModels.version(2).toUri() + "\",\"version\":\"2\"}")
                .post("/v1/admin/model").then().statusCode(200);
        Thread.sleep(500);
        // A broken package is refused and the serving one stays.
        given().contentType(ContentType.JSON).body("{\"uri\":\"file:///no/such/package\",\"version\":\"3\"}")
                .post("/v1/admin/model").then().statusCode(422);
        Thread.sleep(300);
        running.set(false);
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdownNow();

        assertThat(failures).isEmpty();
        assertThat(ok.get()).isGreaterThan(20);
        assertThat(versions).contains("1", "2").doesNotContain("3");
        given().get("/q/health/ready").then().statusCode(200);
    }

    /** Back to version 1 for the other tests of this application, whatever a test left loaded. */
    @AfterEach
    void sharedModelLoaded() {
        given().contentType(ContentType.JSON).body("{\"uri\":\"" + TrainedModels.version(1).toUri() + "\",\"version\":\"1\"}")
                .post("/v1/admin/model").then().statusCode(200);
    }

    private HttpResponse<String> send(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(recommendations.toString()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String ids(String body) {
        return body.replaceAll(".*\"items\":(\\[[^\\]]*\\]).*", "$1").replaceAll(",\"score\":[^}]*", "");
    }
}
