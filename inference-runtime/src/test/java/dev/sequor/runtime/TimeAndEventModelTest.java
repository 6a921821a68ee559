package dev.sequor.runtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;

import dev.sequor.runtime.grpc.v2.GRPCInferenceServiceGrpc;
import dev.sequor.runtime.grpc.v2.InferTensorContents;
import dev.sequor.runtime.grpc.v2.ModelInferRequest;
import dev.sequor.testing.GoldenPackages;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A model that reads when each action happened and its event type (TiSASRec with event types, the
 * golden package), loaded as a new version would be: the recommendation API and the Open Inference
 * Protocol take the history's timestamps and events, and refuse missing or malformed ones with a
 * 4xx that names the problem.
 */
@QuarkusTest
@QuarkusTestResource(value = TrainedModels.class, restrictToAnnotatedClass = false)
class TimeAndEventModelTest {

    private static final long DAY = 86_400;
    /** 2026-01-01: well in the past of any test run. */
    private static final long T0 = 1_767_225_600L;

    @GrpcClient("inference")
    GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub client;

    @BeforeEach
    void timeAwareModelLoaded() {
        TrainedModels.awaitReady();
        load(GoldenPackages.timeAware().toUri().toString(), "ti-1");
    }

    @AfterEach
    void backToTheSharedModel() {
        load(TrainedModels.version(1).toUri().toString(), "1");
    }

    @Test
    void recommendationsDependOnWhenTheActionsHappened() {
        JsonPath session = recommend(times(T0, T0 + 60, T0 + 120, T0 + 180), 200);
        JsonPath spread = recommend(times(T0, T0 + 60, T0 + 20 * DAY, T0 + 40 * DAY), 200);
        assertThat(session.getString("version")).isEqualTo("ti-1");
        assertThat(session.getList("items")).hasSize(5);
        assertThat(session.getList("items.score", Float.class)).isNotEqualTo(spread.getList("items.score", Float.class));
    }

    @Test
    void missingOrMalformedTimesAreRefusedWithTheReason() {
        post("{\"history\":[\"item-3\",\"item-17\"],\"events\":[\"view\",\"view\"],\"k\":5}", 400,
                "reads when each action happened: give timestamps");
        post(body(T0, T0 + 60, T0 + 120), 400, "one time per history item: 4 items, 3 timestamps");
        post(body(T0, -5, T0 + 120, T0 + 180), 400, "timestamps[1] is negative");
        post(body(T0, T0 + 60, T0 + 30, T0 + 180), 400, "timestamps[2] (" + (T0 + 30) + ") is before the one it follows");
        long millis = System.currentTimeMillis();
        post(body(T0, T0 + 60, T0 + 120, millis), 400, "more than a day in the future; times are epoch seconds, not milliseconds");
        post("{\"history\":[\"item-3\",\"item-17\"],\"timestamps\":[" + T0 + ",null],\"events\":[\"view\",\"view\"],"
                + "\"k\":5}", 400, "timestamps[1] is missing");
        post("{\"history\":[\"item-3\",\"item-17\"],\"timestamps\":[" + T0 + ",\"soon\"],\"k\":5}", 400, "");
    }

    @Test
    void eventTypesChangeTheAnswerAndUnknownOnesAreRefused() {
        long[] t = {T0, T0 + 60, T0 + 120, T0 + 180};
        JsonPath views = post(body(t, "view", "view", "view", "view"), 200, "");
        JsonPath bought = post(body(t, "view", "cart", "view", "PURCHASE"), 200, "");
        assertThat(views.getList("items.score", Float.class)).isNotEqualTo(bought.getList("items.score", Float.class));
        post("{\"history\":[\"item-3\",\"item-17\"],\"timestamps\":[" + T0 + "," + (T0 + 1) + "],\"k\":5}", 400,
                "reads each action's event type: give events, one per history item (view, cart, purchase)");
        post(body(t, "view", "view", "view"), 400, "one event type per history item: 4 items, 3 events");
        post(body(t, "view", "view", "refund", "view"), 400,
                "events[2] 'refund' is not an event type this model knows (view, cart, purchase)");
    }

    @Test
    void anUnknownItemIsSkippedWithItsTime() {
        JsonPath with = post("{\"history\":[\"item-3\",\"no-such-item\",\"item-17\"],\"timestamps\":[" + T0 + ","
                + (T0 + 5) + "," + (T0 + DAY) + "],\"events\":[\"view\",\"purchase\",\"cart\"],\"k\":5}", 200, "");
        JsonPath without = post("{\"history\":[\"item-3\",\"item-17\"],\"timestamps\":[" + T0 + "," + (T0 + DAY)
                + "],\"events\":[\"view\",\"cart\"],\"k\":5}", 200, "");
        assertThat(with.getList("unknownItems", String.class)).containsExactly("no-such-item");
        assertThat(with.getList("items.id")).isEqualTo(without.getList("items.id"));
        assertThat(with.getList("items.score")).isEqualTo(without.getList("items.score"));
    }

    @Test
    void theOpenInferenceProtocolDeclaresAndTakesTheTimestamps() {
        JsonPath meta = given().get("/v2/models/synthetic").then().statusCode(200).extract().jsonPath();
        assertThat(meta.getList("inputs.name")).containsExactly("history", "timestamps", "events", "exclude", "k");
        assertThat(meta.getList("inputs[1].shape")).containsExactly(-1, 12);
        assertThat(meta.getList("parameters.sequor_event_types")).containsExactly("view", "cart", "purchase");

        long[] times = {0, 0, 0, 0, 0, 0, 0, 0, T0, T0 + 60, T0 + 20 * DAY, T0 + 40 * DAY};
        JsonPath r = given().contentType(ContentType.JSON).body(oip(times, true)).post("/v2/models/synthetic/infer")
                .then().statusCode(200).extract().jsonPath();
        List<Long> items = r.getList("outputs[1].data", Long.class);
        JsonPath rest = recommend(times(T0, T0 + 60, T0 + 20 * DAY, T0 + 40 * DAY), 200);
        assertThat(rest.getList("items.id", String.class))
                .containsExactlyElementsOf(items.subList(0, 5).stream().map(i -> "item-" + i).toList());

        given().contentType(ContentType.JSON).body(oip(times, false)).post("/v2/models/synthetic/infer").then()
                .statusCode(400).body("error", containsString("missing input 'timestamps'"));
        given().contentType(ContentType.JSON).body(oip(times, true).replace(EVENTS_OIP, "")).post("/v2/models/synthetic/infer")
                .then().statusCode(400).body("error", containsString("missing input 'events'"));
        given().contentType(ContentType.JSON).body(oip(times, true).replace("[0,0,0,0,0,0,0,0,1,1,1,3]",
                "[0,0,0,0,0,0,0,0,1,0,1,3]")).post("/v2/models/synthetic/infer").then().statusCode(400)
                .body("error", containsString("row 0: events[1] is 0; event types are 1..3"));
        long[] backwards = times.clone();
        backwards[10] = T0;
        given().contentType(ContentType.JSON).body(oip(backwards, true)).post("/v2/models/synthetic/infer").then()
                .statusCode(400).body("error", containsString("row 0: timestamps[2]"));
    }

    @Test
    void grpcRefusesAMissingTimestampsInput() {
        long[] history = {0, 0, 0, 0, 0, 0, 0, 0, 3, 17, 42, 5};
        ModelInferRequest noTimes = ModelInferRequest.newBuilder().setModelName("synthetic")
                .addInputs(input("history", history)).addInputs(input("events", new long[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 1, 3}))
                .build();
        assertThatThrownBy(() -> client.modelInfer(noTimes)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains("missing input 'timestamps'");
        });
        long[] times = {0, 0, 0, 0, 0, 0, 0, 0, T0, T0 + 60, T0 + 120, T0 + 180};
        var answer = client.modelInfer(noTimes.toBuilder().addInputs(input("timestamps", times)).build());
        ByteBuffer raw = answer.getRawOutputContents(1).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long[] items = new long[raw.remaining() / 8];
        raw.asLongBuffer().get(items);
        assertThat(items).hasSize(10).doesNotContain(0, 3, 17, 42, 5);
    }

    private static ModelInferRequest.InferInputTensor input(String name, long[] data) {
        return ModelInferRequest.InferInputTensor.newBuilder().setName(name).setDatatype("INT64").addShape(1)
                .addShape(data.length).setContents(InferTensorContents.newBuilder()
                        .addAllInt64Contents(Arrays.stream(data).boxed().toList())).build();
    }

    private static final String EVENTS_OIP =
            ",{\"name\":\"events\",\"datatype\":\"INT64\",\"shape\":[1,12],\"data\":[0,0,0,0,0,0,0,0,1,1,1,3]}";

    private static String oip(long[] times, boolean withTimes) {
        String history = "{\"name\":\"history\",\"datatype\":\"INT64\",\"shape\":[1,12],\"data\":[0,0,0,0,0,0,0,0,3,17,42,5]}"
                + EVENTS_OIP;
        String timestamps = ",{\"name\":\"timestamps\",\"datatype\":\"INT64\",\"shape\":[1,12],\"data\":"
                + Arrays.toString(times) + "}";
        return "{\"inputs\":[" + history + (withTimes ? timestamps : "") + "]}";
    }

    private static long[] times(long... t) {
        return t;
    }

    private static JsonPath recommend(long[] times, int status) {
        return post(body(times), status, "");
    }

    /** The four-item history with these times, viewed, viewed, viewed, purchased. */
    private static String body(long... times) {
        return body(times, "view", "view", "view", "purchase");
    }

    private static String body(long[] times, String... events) {
        return "{\"history\":[\"item-3\",\"item-17\",\"item-42\",\"item-5\"],\"timestamps\":" + Arrays.toString(times)
                + ",\"events\":[" + String.join(",", Arrays.stream(events).map(e -> "\"" + e + "\"").toList()) + "],\"k\":5}";
    }

    private static JsonPath post(String body, int status, String error) {
        var response = given().contentType(ContentType.JSON).body(body).post("/v1/recommendations").then()
                .statusCode(status);
        if (!error.isEmpty()) {
            response.body("error", containsString(error));
        }
        return response.extract().jsonPath();
    }

    private static void load(String uri, String version) {
        given().contentType(ContentType.JSON).body("{\"uri\":\"" + uri + "\",\"version\":\"" + version + "\"}")
                .post("/v1/admin/model").then().statusCode(200);
    }
}
