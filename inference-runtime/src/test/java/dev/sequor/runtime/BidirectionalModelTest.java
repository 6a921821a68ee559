package dev.sequor.runtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequor.testing.GoldenPackages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * BERT4Rec (the golden package) served like any version: its graph puts the mask token after the
 * history itself, so the recommendation API and the Open Inference Protocol take the same inputs
 * as SASRec's and agree with each other.
 */
@QuarkusTest
@QuarkusTestResource(value = TrainedModels.class, restrictToAnnotatedClass = false)
class BidirectionalModelTest {

    @BeforeEach
    void bidirectionalModelLoaded() {
        TrainedModels.awaitReady();
        load(GoldenPackages.bidirectional().toUri().toString(), "bert-1");
    }

    @AfterEach
    void backToTheSharedModel() {
        load(TrainedModels.version(1).toUri().toString(), "1");
    }

    @Test
    void recommendsFromTheHistoryInItsOrderAndTheProtocolsAgree() {
        JsonPath forward = recommend("\"item-3\",\"item-17\",\"item-42\",\"item-5\"");
        JsonPath backward = recommend("\"item-5\",\"item-42\",\"item-17\",\"item-3\"");
        assertThat(forward.getString("version")).isEqualTo("bert-1");
        List<String> ids = forward.getList("items.id", String.class);
        assertThat(ids).hasSize(5).doesNotContain("item-3", "item-17", "item-42", "item-5");
        assertThat(forward.getList("items.score", Float.class)).isNotEqualTo(backward.getList("items.score", Float.class));

        JsonPath meta = given().get("/v2/models/synthetic").then().statusCode(200).extract().jsonPath();
        assertThat(meta.getList("inputs.name")).containsExactly("history", "exclude", "k");
        JsonPath oip = given().contentType(ContentType.JSON).body("{\"inputs\":[{\"name\":\"history\",\"datatype\":"
                + "\"INT64\",\"shape\":[1,12],\"data\":[0,0,0,0,0,0,0,0,3,17,42,5]}]}")
                .post("/v2/models/synthetic/infer").then().statusCode(200).extract().jsonPath();
        List<Long> items = oip.getList("outputs[1].data", Long.class);
        assertThat(ids).containsExactlyElementsOf(items.subList(0, 5).stream().map(i -> "item-" + i).toList());
    }

    private static JsonPath recommend(String history) {
        return given().contentType(ContentType.JSON).body("{\"history\":[" + history + "],\"k\":5}")
                .post("/v1/recommendations").then().statusCode(200).extract().jsonPath();
    }

    private static void load(String uri, String version) {
        given().contentType(ContentType.JSON).body("{\"uri\":\"" + uri + "\",\"version\":\"" + version + "\"}")
                .post("/v1/admin/model").then().statusCode(200);
    }
}
