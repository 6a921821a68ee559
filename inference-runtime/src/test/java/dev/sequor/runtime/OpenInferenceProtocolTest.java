package dev.sequor.runtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
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
        assertThat(infer("{\"inputs\":[{\"name\":\"history\",\"datatype\":\"INT64\",\"shape\":[1,12],\"data\":"
                + HISTORY_12 + "}]}")).contains("missing input 'exclude'");
        assertThat(infer("{\"inputs\":[{\"name\":\"history\",\"datatype\":\"INT64\",\"shape\":[1,12],\"data\":"
                + HISTORY_12.replace("42", "4200") + "},{\"name\":\"exclude\",\"datatype\":\"INT64\",\"shape\":[1,1],"
                + "\"data\":[0]},{\"name\":\"k\",\"datatype\":\"INT64\",\"shape\":[1],\"data\":[3]}]}"))
                .contains("item indices must be between 0 and 100");
        assertThat(infer("{\"outputs\":[]}")).contains("body must be {\"inputs\"");
    }

    private static String infer(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/v2/models/synthetic/infer").then()
                .statusCode(400).extract().jsonPath().getString("error");
    }
}
