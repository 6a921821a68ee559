package dev.sequor.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequor.contract.RuntimeContract;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The runtime's side of the operator contract: every variable of {@link RuntimeContract#ENVIRONMENT},
 * given as environment (what the operator's Deployment sets), arrives in the runtime's own
 * configuration objects. The operator's side is PredictorDeploymentTest: it sets only these.
 */
class RuntimeContractTest {

    @Test
    void everyContractVariableReachesTheRuntimesConfiguration() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(RuntimeContract.MODEL_NAME, "movies");
        env.put(RuntimeContract.MODEL_VERSION, "7");
        env.put(RuntimeContract.MODEL_URI, "mlflow-artifacts:/1/abc/artifacts/model");
        env.put(RuntimeContract.VARIANT, "candidate");
        env.put(RuntimeContract.ROLE, "router");
        env.put(RuntimeContract.ROUTER_SPLIT_FILE, "/etc/sequor/split/split.json");
        env.put(RuntimeContract.MODEL_CACHE_DIR, "/var/cache/sequor");
        env.put(RuntimeContract.FEEDBACK_LOG_DIR, "/var/lib/sequor/feedback");
        env.put(RuntimeContract.FEEDBACK_KAFKA_BOOTSTRAP_SERVERS, "kafka-0.kafka:9092,kafka-1.kafka:9092");
        env.put(RuntimeContract.FEEDBACK_KAFKA_TOPIC, "sequor-feedback.shop.movies");
        env.put(RuntimeContract.BATCH_MAX_SIZE, "48");
        env.put(RuntimeContract.BATCH_MAX_DELAY, "3ms");
        env.put(RuntimeContract.TOPK_DEFAULT, "12");
        env.put(RuntimeContract.TOPK_MAX, "120");
        env.put(RuntimeContract.MLFLOW_TRACKING_URI, "http://mlflow.mlflow.svc:5000");
        env.put(RuntimeContract.MLFLOW_TRACKING_TOKEN, "t0ken");
        env.put(RuntimeContract.MLFLOW_TRACKING_USERNAME, "ml");
        env.put(RuntimeContract.MLFLOW_TRACKING_PASSWORD, "secret");
        assertThat(env.keySet()).as("a value for every contract variable")
                .containsExactlyInAnyOrderElementsOf(RuntimeContract.ENVIRONMENT.keySet());

        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(env, 300))
                .withMapping(RuntimeConfig.class)
                .withMapping(MlflowConfig.class)
                .build();
        RuntimeConfig runtime = config.getConfigMapping(RuntimeConfig.class);
        MlflowConfig mlflow = config.getConfigMapping(MlflowConfig.class);

        assertThat(runtime.model().name()).isEqualTo("movies");
        assertThat(runtime.model().version()).contains("7");
        assertThat(runtime.model().uri()).contains("mlflow-artifacts:/1/abc/artifacts/model");
        assertThat(runtime.variant()).isEqualTo("candidate");
        assertThat(runtime.router()).isTrue();
        assertThat(runtime.routing().splitFile()).contains(Path.of("/etc/sequor/split/split.json"));
        assertThat(runtime.model().cacheDir()).isEqualTo(Path.of("/var/cache/sequor"));
        assertThat(runtime.feedback().logDir()).contains(Path.of("/var/lib/sequor/feedback"));
        assertThat(runtime.feedback().kafka().bootstrapServers()).contains("kafka-0.kafka:9092,kafka-1.kafka:9092");
        assertThat(runtime.feedback().kafka().topic()).contains("sequor-feedback.shop.movies");
        assertThat(runtime.batch().maxSize()).isEqualTo(48);
        assertThat(runtime.batch().maxDelay()).isEqualTo("3ms");
        assertThat(runtime.topK().defaultK()).isEqualTo(12);
        assertThat(runtime.topK().max()).isEqualTo(120);
        assertThat(mlflow.uri()).contains("http://mlflow.mlflow.svc:5000");
        assertThat(mlflow.token()).contains("t0ken");
        assertThat(mlflow.username()).contains("ml");
        assertThat(mlflow.password()).contains("secret");
        // The property each variable is documented to become is the one the runtime read.
        RuntimeContract.ENVIRONMENT.forEach((variable, property) ->
                assertThat(config.getRawValue(property)).as(variable + " -> " + property).isEqualTo(env.get(variable)));
    }
}
