package dev.sequor.runtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** KServe v2 REST, as its standard clients call it. */
@QuarkusTest
@QuarkusTestResource(value = TrainedModels.class, restrictToAnnotatedClass = false)
class OpenInferenceProtocolTest {

    @BeforeEach
    void modelLoaded() {
        TrainedModels.awaitReady();
    }

    private static final String HISTORY_12 = "[0,0,0,0,0,0,0,0,0,3,17,42]";

    @Test
    void healthServerAndModelMetadata() {
        given().get("/v2/health/live").then().statusCode(200).body("live", equalTo(true));
        given().get("/v2/health/ready").then().statusCode(200).body("ready", equalTo(true));
        given().get("/v2").then().statusCode(200).body("name", equalTo("sequor-inference-runtime"));
        JsonPath m = given().get("/v2/models/synthetic").then().statusCode(200).extract().jsonPath();
        assertThat(m.getList("inputs.name")).containsExactly("history", "exclude", "k");
        assertThat(m.getList("inputs[0].shape")).containsExactly(-1, 12);
        assertThat(m.getList("outputs.name")).containsExactly("scores", "items");
        assertThat(m.getMap("parameters.sequor_privacy")).as("trained without DP").containsEntry("differentialPrivacy", false)
                .doesNotContainKey("epsilon");
        given().get("/v2/models/synthetic/versions/1").then().statusCode(200);
        given().get("/v2/models/synthetic/ready").then().statusCode(200).body("ready", equalTo(true));
        given().get("/v2/models/other").then().statusCode(404).body("error", containsString("no model named 'other'"));
        given().get("/v2/models/synthetic/versions/9").then().statusCode(404).body("error", containsString("no version '9'"));
    }

    @Test
    void inferReturnsTopKTensorsThatAgreeWithTheRecommendationApi() {
        String body = "{\"id\":\"r1\",\"inputs\":["
                + "{\"name\":\"history\",\"datatype\":\"INT64\",\"shape\":[2,12],\"data\":[" + HISTORY_12.replaceAll("[\\[\\]]", "")
                + ",0,0,0,0,0,0,0,0,0,0,0,5]},"
                + "{\"name\":\"exclude\",\"datatype\":\"INT64\",\"shape\":[2,3],\"data\":[[3,17,42],[5,0,0]]},"
                + "{\"name\":\"k\",\"datatype\":\"INT64\",\"shape\":[1],\"data\":[4]}]}";
        JsonPath r = given().contentType(ContentType.JSON).body(body).post("/v2/models/synthetic/infer").then()
                .statusCode(200).extract().jsonPath();
        assertThat(r.getString("model_name")).isEqualTo("synthetic");
        assertThat(r.getString("model_version")).isEqualTo("1");
        assertThat(r.getString("id")).isEqualTo("r1");
        assertThat(r.getList("outputs.name")).containsExactly("scores", "items");
        assertThat(r.getList("outputs[1].shape")).containsExactly(2, 4);
        List<Long> items = r.getList("outputs[1].data", Long.class);
        assertThat(items).hasSize(8).doesNotContain(0L);
        assertThat(items.subList(0, 4)).doesNotContain(3L, 17L, 42L);

        JsonPath rest = RecommendationApiTest.post("{\"history\":[\"item-3\",\"item-17\",\"item-42\"],\"k\":4}", 200);
        assertThat(rest.getList("items.id", String.class))
                .containsExactlyElementsOf(items.subList(0, 4).stream().map(i -> "item-" + i).toList());
    }

    @Test
    void wrongTensorsGet400WithTheReason() {
        assertThat(infer("{\"inputs\":[{\"name\":\"history\",\"datatype\":\"FP32\",\"shape\":[1,12],\"data\":"
                + HISTORY_12 + "}]}")).contains("must have datatype INT64");
        assertThat(infer("{\"inputs\":[{\"name\":\"history\",\"datatype\":\"INT64\",\"shape\":[1,11],\"data\":"
                + "[0,0,0,0,0,0,0,0,3,17,42]},{\"name\":\"exclude\",\"datatype\":\"INT64\",\"shape\":[1,1],\"data\":[0]},"
                + "{\"name\":\"k\",\"datatype\":\"INT64\",\"shape\":[1],\"data\":[3]}]}")).contains("shape [batch, 12]");
        assertThat(infer("{\"inputs\":[{\"name\":\"history\",\"datatype\":\"INT64\",\"shape\":[1,12],\"data\":[1,2]}]}"))
                .contains("has shape [1, 12] but 2 values");
        assertThat(infer("{\"inputs\":[{\"name\":\"k\",\"datatype\":\"INT64\",\"shape\":[1],\"data\":[3]}]}"))
                .contains("missing input 'history'");
        assertThat(infer("{\"inputs\":[{\"name\":\"history\",\"datatype\":\"INT64\",\"shape\":[1,12],\"data\":"
                + HISTORY_12.replace("42", "4200") + "},{\"name\":\"exclude\",\"datatype\":\"INT64\",\"shape\":[1,1],"
                + "\"data\":[0]},{\"name\":\"k\",\"datatype\":\"INT64\",\"shape\":[1],\"data\":[3]}]}"))
                .contains("item indices must be between 0 and 100");
        assertThat(infer("{\"outputs\":[]}")).contains("body must be {\"inputs\"");
    }

    @Test
    void theOptionalInputsDefaultToTheHistoryAndTheConfiguredK() {
        JsonPath m = given().get("/v2/models/synthetic").then().statusCode(200).extract().jsonPath();
        assertThat(m.getList("inputs.optional")).containsExactly(null, true, true);
        assertThat(m.getString("inputs[1].parameters.default")).isEqualTo("each row's own history");
        String history = "{\"name\":\"history\",\"datatype\":\"INT64\",\"shape\":[1,12],\"data\":" + HISTORY_12 + "}";
        List<Long> byDefault = items("{\"inputs\":[" + history + "]}");
        assertThat(byDefault).hasSize(10).doesNotContain(0L, 3L, 17L, 42L);
        List<Long> explicit = items("{\"inputs\":[" + history + ",{\"name\":\"exclude\",\"datatype\":\"INT64\","
                + "\"shape\":[1,12],\"data\":" + HISTORY_12 + "},{\"name\":\"k\",\"datatype\":\"INT64\",\"shape\":[1],"
                + "\"data\":[10]}]}");
        assertThat(byDefault).isEqualTo(explicit);
    }

    /** The binary tensor data extension, byte by byte as tritonclient sends it by default. */
    @Test
    void binaryTensorsInAndOutAgreeWithJson() {
        long[] history = {0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 17, 42};
        String header = "{\"id\":\"b1\",\"inputs\":[{\"name\":\"history\",\"datatype\":\"INT64\",\"shape\":[1,12],"
                + "\"parameters\":{\"binary_data_size\":96}},{\"name\":\"k\",\"datatype\":\"INT64\",\"shape\":[1],"
                + "\"data\":[4]}],\"parameters\":{\"binary_data_output\":true}}";
        Response r = given().header("Inference-Header-Content-Length", header.length())
                .body(concat(header.getBytes(StandardCharsets.UTF_8), int64(history))).post("/v2/models/synthetic/infer");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        int jsonLength = Integer.parseInt(r.header("Inference-Header-Content-Length"));
        byte[] body = r.asByteArray();
        JsonPath json = new JsonPath(new String(body, 0, jsonLength, StandardCharsets.UTF_8));
        assertThat(json.getString("id")).isEqualTo("b1");
        assertThat(json.getList("outputs.name")).containsExactly("scores", "items");
        assertThat(json.getList("outputs.parameters.binary_data_size", Integer.class)).containsExactly(16, 32);
        ByteBuffer raw = ByteBuffer.wrap(body, jsonLength, body.length - jsonLength).slice().order(ByteOrder.LITTLE_ENDIAN);
        assertThat(raw.remaining()).isEqualTo(48);
        float[] scores = new float[4];
        raw.asFloatBuffer().get(scores);
        long[] items = new long[4];
        raw.position(16);
        raw.slice().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(items);

        String asJson = "{\"inputs\":[{\"name\":\"history\",\"datatype\":\"INT64\",\"shape\":[1,12],\"data\":"
                + HISTORY_12 + "},{\"name\":\"k\",\"datatype\":\"INT64\",\"shape\":[1],\"data\":[4]}],"
                + "\"outputs\":[{\"name\":\"items\"},{\"name\":\"scores\",\"parameters\":{\"binary_data\":false}}]}";
        JsonPath plain = given().contentType(ContentType.JSON).body(asJson).post("/v2/models/synthetic/infer").then()
                .statusCode(200).header("Inference-Header-Content-Length", nullValue()).extract().jsonPath();
        assertThat(plain.getList("outputs[1].data", Long.class)).containsExactly(items[0], items[1], items[2], items[3]);
        assertThat(plain.getList("outputs[0].data", Float.class)).containsExactly(scores[0], scores[1], scores[2], scores[3]);
    }

    @Test
    void malformedBinaryRequestsGet400WithTheReason() {
        String header = "{\"inputs\":[{\"name\":\"history\",\"datatype\":\"INT64\",\"shape\":[1,12],"
                + "\"parameters\":{\"binary_data_size\":%d}}]}";
        byte[] history = int64(new long[12]);
        assertThat(binary(header.formatted(96), history, 9999)).contains("Inference-Header-Content-Length is 9999");
        assertThat(binary(header.formatted(96), history, -1)).contains("Inference-Header-Content-Length is -1");
        assertThat(binary(header.formatted(200), history, null)).contains("binary_data_size 200 but 96 bytes");
        assertThat(binary(header.formatted(88), history, null)).contains("8 bytes after the inputs' binary data");
        assertThat(binary(header.formatted(88), java.util.Arrays.copyOf(history, 88), null))
                .contains("has shape [1, 12] but 88 bytes of binary data");
        assertThat(binary("{\"inputs\":[{\"name\"", history, null)).contains("JSON is malformed");
        assertThat(given().header("Inference-Header-Content-Length", "ten").body(history).post("/v2/models/synthetic/infer")
                .then().statusCode(400).extract().jsonPath().getString("error")).contains("must be a number of bytes");
        assertThat(infer("{\"inputs\":[{\"name\":\"history\",\"datatype\":\"INT64\",\"shape\":[1,12],\"data\":"
                + HISTORY_12 + "}],\"outputs\":[{\"name\":\"logits\"}]}")).contains("no output named 'logits'");
    }

    private static String binary(String header, byte[] tensors, Integer declaredLength) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return given().header("Inference-Header-Content-Length", declaredLength != null ? declaredLength : json.length)
                .body(concat(json, tensors)).post("/v2/models/synthetic/infer").then().statusCode(400).extract()
                .jsonPath().getString("error");
    }

    private static byte[] int64(long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return b.array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static List<Long> items(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/v2/models/synthetic/infer").then().statusCode(200)
                .extract().jsonPath().getList("outputs[1].data", Long.class);
    }

    private static String infer(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/v2/models/synthetic/infer").then()
                .statusCode(400).extract().jsonPath().getString("error");
    }
}
