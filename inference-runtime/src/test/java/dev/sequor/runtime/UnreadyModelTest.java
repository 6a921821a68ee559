package dev.sequor.runtime;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A bad package keeps the process alive but unready, with the reason on the readiness endpoint. */
@QuarkusTest
@TestProfile(UnreadyModelTest.BadPackage.class)
class UnreadyModelTest {

    public static class BadPackage implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path dir = Files.createTempDirectory("bad-package");
                Files.writeString(dir.resolve("model.onnx"), "not a model");
                Files.writeString(dir.resolve("metadata.json"), "{\"formatVersion\": 99}");
                Files.writeString(dir.resolve("items.tsv"), "1\ta\n");
                return Map.of("sequor.model.uri", dir.toUri().toString(), "sequor.model.name", "broken");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void readinessSaysWhyAndRequestsGet503() throws InterruptedException {
        Thread.sleep(500);
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'model' }.data.reason", containsString("formatVersion 99, written by a newer trainer"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/v2/health/ready").then().statusCode(503).body("ready", equalTo(false));
        given().contentType(ContentType.JSON).body("{\"history\":[\"a\"]}").post("/v1/recommendations").then()
                .statusCode(503).body("error", containsString("no model is ready"));
    }
}
