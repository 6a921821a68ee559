package dev.sequor.runtime.feedback;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.sequor.feedback.FeedbackEvent;
import dev.sequor.feedback.FeedbackLog;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With a feedback log, an acknowledged event is on disk, with the variant and version it is credited to. */
@QuarkusTest
@TestProfile(DurableFeedbackTest.WithLog.class)
class DurableFeedbackTest {

    static final Path LOG_DIR;

    static {
        try {
            LOG_DIR = Files.createTempDirectory("sequor-feedback-log");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static class WithLog implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sequor.feedback.log-dir", LOG_DIR.toString());
        }
    }

    @Test
    void anAcknowledgedEventIsOnDiskWithItsAttribution() {
        JsonPath served = given().contentType(ContentType.JSON)
                .body("{\"userId\":\"u-durable\",\"history\":[\"item-3\"],\"k\":3}").post("/v1/recommendations")
                .then().statusCode(200).extract().jsonPath();
        String item = served.getString("items[0].id");
        given().contentType(ContentType.JSON).body("{\"recommendationId\":\"" + served.getString("id")
                        + "\",\"userId\":\"u-durable\",\"itemId\":\"" + item
                        + "\",\"event\":\"click\",\"eventId\":\"evt-1\",\"timestamp\":1795000000000}")
                .post("/v1/feedback").then().statusCode(202)
                .body("stored", equalTo(true)).body("eventId", equalTo("evt-1")).body("hit", equalTo(true));
        List<FeedbackEvent> stored = FeedbackLog.readOnly(LOG_DIR).stream()
                .map(r -> FeedbackEvent.parse(r.payload())).toList();
        assertThat(stored).contains(new FeedbackEvent(1, "evt-1", served.getString("id"), "u-durable", item, "click",
                1_795_000_000_000L, "synthetic", "1", "champion"));
    }

    @Test
    void anEventThatCannotBeStoredIsRefusedWithEveryReason() {
        given().contentType(ContentType.JSON).body("{\"itemId\":\"item-3\",\"event\":\"click\",\"timestamp\":-5}")
                .post("/v1/feedback").then().statusCode(400)
                .body("error", containsString("userId is required"))
                .body("error", containsString("timestamp must be a positive epoch time"));
    }
}
