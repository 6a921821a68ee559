package dev.sequor.runtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TrainedModels.class, restrictToAnnotatedClass = false)
class RecommendationApiTest {

    @BeforeEach
    void modelLoaded() {
        TrainedModels.awaitReady();
    }

    @Test
    void recommendsKnownItemsNotInTheHistory() {
        JsonPath r = post("{\"userId\":\"u1\",\"history\":[\"item-3\",\"item-17\",\"item-42\"],\"k\":5}", 200);
        assertThat(r.getList("items.id", String.class)).hasSize(5).doesNotContain("item-3", "item-17", "item-42")
                .allMatch(id -> id.startsWith("item-"));
        List<Float> scores = r.getList("items.score", Float.class);
        assertThat(scores).isSortedAccordingTo((a, b) -> Float.compare(b, a));
        assertThat(r.getString("model")).isEqualTo("synthetic");
        assertThat(r.getString("version")).isEqualTo("1");
        assertThat(r.getString("variant")).isEqualTo("champion");
        assertThat(r.getString("userId")).isEqualTo("u1");
    }

    @Test
    void defaultKAndHistoryItemsOnRequest() {
        JsonPath r = post("{\"history\":[\"item-3\"],\"excludeHistory\":false,\"exclude\":[\"item-5\"]}", 200);
        assertThat(r.getList("items")).hasSize(10);
        assertThat(r.getList("items.id", String.class)).doesNotContain("item-5");
    }

    @Test
    void unknownItemsAreSkippedAndReported() {
        JsonPath r = post("{\"history\":[\"item-3\",\"no-such-item\"],\"k\":3}", 200);
        assertThat(r.getList("unknownItems", String.class)).containsExactly("no-such-item");
        assertThat(r.getList("items")).hasSize(3);
    }

    @Test
    void overLongHistoryIsTruncatedToTheModelsWindow() {
        StringBuilder history = new StringBuilder();
        for (int i = 1; i <= 60; i++) {
            history.append(i > 1 ? "," : "").append("\"item-").append(i).append('"');
        }
        JsonPath longer = post("{\"history\":[" + history + "],\"k\":5,\"excludeHistory\":false}", 200);
        StringBuilder last12 = new StringBuilder();
        for (int i = 49; i <= 60; i++) {
            last12.append(i > 49 ? "," : "").append("\"item-").append(i).append('"');
        }
        JsonPath window = post("{\"history\":[" + last12 + "],\"k\":5,\"excludeHistory\":false}", 200);
        assertThat(longer.getList("items.id")).isEqualTo(window.getList("items.id"));
    }

    @Test
    void batchFormAnswersEveryRequestInOrder() {
        JsonPath r = given().contentType(ContentType.JSON)
                .body("{\"requests\":[{\"userId\":\"a\",\"history\":[\"item-1\"],\"k\":2},"
                        + "{\"userId\":\"b\",\"history\":[\"item-2\"],\"k\":4}]}")
                .post("/v1/recommendations/batch").then().statusCode(200).extract().jsonPath();
        assertThat(r.getList("responses.userId")).containsExactly("a", "b");
        assertThat(r.getList("responses[1].items")).hasSize(4);
    }

    @Test
    void badInputGetsA4xxWithAMessage() {
        assertThat(post("{\"history\":[\"item-1\"", 400).getString("error")).contains("malformed JSON");
        assertThat(post("{\"history\":[]}", 400).getString("error")).contains("history must list at least one item");
        assertThat(post("{}", 400).getString("error")).contains("history");
        assertThat(post("{\"history\":[\"x\",\"y\"]}", 422).getString("error")).contains("none of the history's items");
        assertThat(post("{\"history\":[\"item-1\"],\"k\":0}", 400).getString("error")).contains("k must be between 1 and 50");
        assertThat(post("{\"history\":[\"item-1\"],\"k\":51}", 400).getString("error")).contains("k must be between");
        assertThat(post("{\"history\":[\"item-1\"],\"k\":\"ten\"}", 400).getString("error")).contains("malformed JSON");
        given().contentType(ContentType.TEXT).body("history=item-1").post("/v1/recommendations").then().statusCode(415)
                .body("error", containsString("application/json"));
        assertThat(given().contentType(ContentType.JSON).body("{\"requests\":[{\"history\":[\"item-1\"]},{\"history\":[]}]}")
                .post("/v1/recommendations/batch").then().statusCode(400).extract().jsonPath().getString("error"))
                .startsWith("requests[1]:");
    }

    /**
     * A body over the limit is refused by its Content-Length, before it is read. Asked over a raw
     * socket that reads the answer before sending the body: a client that writes the whole body
     * first may find the connection already closed (a broken pipe, not an answer).
     */
    @Test
    void anOversizedBodyIsRefusedWith413() throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /v1/recommendations HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 1100000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertThat(status).startsWith("HTTP/1.1 413");
        }
    }

    @Test
    void feedbackIsCreditedToTheRecommendationItNames() {
        JsonPath served = post("{\"userId\":\"u-hit\",\"history\":[\"item-3\"],\"k\":3}", 200);
        String id = served.getString("id");
        String shown = served.getString("items[0].id");
        assertThat(id).hasSize(32);
        given().contentType(ContentType.JSON).body("{\"recommendationId\":\"" + id + "\",\"itemId\":\"" + shown
                + "\",\"event\":\"click\"}").post("/v1/feedback").then().statusCode(202)
                .body("hit", equalTo(true)).body("variant", equalTo("champion")).body("version", equalTo("1"));
        // Without the id, the user's latest recommendation is the one credited.
        given().contentType(ContentType.JSON).body("{\"userId\":\"u-hit\",\"itemId\":\"" + shown
                + "\",\"event\":\"interaction\"}").post("/v1/feedback").then().statusCode(202).body("hit", equalTo(true));
        given().contentType(ContentType.JSON).body("{\"userId\":\"u-hit\",\"itemId\":\"item-never-shown\",\"event\":\"click\"}")
                .post("/v1/feedback").then().statusCode(202).body("hit", equalTo(false));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .containsPattern("sequor_feedback_hits_total\\{event=\"click\",model=\"synthetic\",variant=\"champion\",version=\"1\"} [1-9]")
                .containsPattern("sequor_feedback_hits_total\\{event=\"interaction\"[^}]*} [1-9]")
                .containsPattern("sequor_recommendations_served_total\\{model=\"synthetic\",variant=\"champion\",version=\"1\"} [1-9]")
                .containsPattern("sequor_requests_total\\{api=\"recommendations\",[^}]*} [1-9]")
                .contains("sequor_request_seconds_bucket{api=\"recommendations\"");
    }

    @Test
    void feedbackIsCountedAndValidated() {
        given().contentType(ContentType.JSON).body("{\"userId\":\"u1\",\"itemId\":\"item-9\",\"event\":\"click\"}")
                .post("/v1/feedback").then().statusCode(202).body("accepted", equalTo(true));
        given().contentType(ContentType.JSON).body("{\"itemId\":\"item-9\",\"event\":\"purchase-ish\"}")
                .post("/v1/feedback").then().statusCode(400).body("error", containsString("event must be one of"));
        given().contentType(ContentType.JSON).body("{\"userId\":\"u1\",\"itemId\":\"item-9\",\"event\":\"impression\"}")
                .post("/v1/feedback").then().statusCode(202);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("sequor_feedback_events_total{event=\"click\"")
                .contains("sequor_feedback_events_total{event=\"impression\"");
    }

    @Test
    void metricsDescribeTheModelAndTheBatches() {
        post("{\"history\":[\"item-3\"],\"k\":3}", 200);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("sequor_model_info{").contains("provider=\"CPU\"").contains("variant=\"champion\"")
                .contains("sequor_batch_size_count").contains("sequor_inference_seconds_bucket")
                .contains("sequor_queue_wait_seconds").contains("sequor_model_load_seconds")
                .contains("http_server_requests_seconds_count{method=\"POST\"");
    }

    @Test
    void healthAndOpenApiAreServed() {
        given().get("/q/health/ready").then().statusCode(200).body("checks.find { it.name == 'model' }.data.version", equalTo("1"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200).body(containsString("/v1/recommendations"));
    }

    static JsonPath post(String body, int status) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/recommendations").then().statusCode(status)
                .extract().jsonPath();
    }
}
