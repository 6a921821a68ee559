package dev.sequor.runtime;

import dev.sequor.testing.GoldenPackages;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.RestAssured;
import java.time.Duration;
import org.awaitility.Awaitility;
import java.nio.file.Path;
import java.util.Map;

/**
 * Real model packages for the runtime's tests: the golden packages the trainer made
 * ({@link GoldenPackages}, versions 1 and 2), served by a runtime configured as the operator would.
 */
public class TrainedModels implements QuarkusTestResourceLifecycleManager {

    public static final String MODEL = "synthetic";

    public static Path version(int n) {
        return GoldenPackages.version(n);
    }

    @Override
    public Map<String, String> start() {
        return Map.of(
                "sequor.model.uri", version(1).toUri().toString(),
                "sequor.model.version", "1",
                "sequor.model.name", MODEL,
                "sequor.admin.enabled", "true",
                "sequor.batch.max-size", "16",
                "sequor.batch.max-delay", "2ms",
                "sequor.topk.max", "50");
    }

    @Override
    public void stop() {
    }

    /** The model loads off the start-up thread: tests start once the runtime says it is ready. */
    public static void awaitReady() {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                RestAssured.given().get("/q/health/ready").statusCode() == 200);
    }
}
