package dev.sequor.runtime.config;

import dev.sequor.contract.Role;
import dev.sequor.contract.RuntimeContract;
import dev.sequor.contract.Variant;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The runtime's settings. The operator sets them as the environment variables of
 * docs/runtime-contract.md (SEQUOR_MODEL_URI is sequor.model.uri, and so on).
 */
@ConfigMapping(prefix = "sequor")
public interface RuntimeConfig {

    Model model();

    /** Role of this pod in a rollout; the variant metric label. */
    @WithDefault(Variant.CHAMPION)
    String variant();

    /** predictor (serve one model version) or router (forward by the traffic split). */
    @WithDefault(Role.PREDICTOR)
    String role();

    default boolean router() {
        return Role.ROUTER.equals(role());
    }

    @WithName("router")
    Routing routing();

    /** Who served which user, for feedback attribution. */
    Attribution attribution();

    /** Where feedback is stored durably. */
    Feedback feedback();

    interface Feedback {
        /** The embedded durable log's directory (a volume); unset: feedback is counted, not stored. */
        Optional<Path> logDir();

        /** Events waiting for the disk before new ones are answered 503 (Retry-After). */
        @WithDefault("10000")
        int queueCapacity();

        /** A log segment this large (bytes) is closed and a new one started. */
        @WithDefault("67108864")
        long segmentMaxBytes();

        /** A log segment open this long is closed at its next write. */
        @WithDefault("3600s")
        String segmentMaxAge();

        /** Feedback into a Kafka topic instead of the log. */
        Kafka kafka();
    }

    interface Kafka {
        /** Bootstrap servers ({@code host:port,...}); unset: no Kafka. */
        Optional<String> bootstrapServers();

        /** The model's topic; unset: {@code sequor-feedback.MODEL_NAME}. */
        Optional<String> topic();

        /** Events waiting for the broker's acknowledgement before new ones are answered 503 (Retry-After). */
        @WithDefault("10000")
        int maxPending();

        /** How long an event may wait for the broker's acknowledgement before it is answered 503. */
        @WithDefault("15s")
        String deliveryTimeout();
    }

    Batch batch();

    @WithName("topk")
    TopK topK();

    Inference inference();

    Admin admin();

    interface Admin {
        /** The hot-swap API (POST /v1/admin/model); off in clusters, where the operator rolls pods. */
        @WithDefault("false")
        boolean enabled();
    }

    interface Routing {
        /** The traffic split file (the operator mounts its ConfigMap); re-read when it changes. */
        Optional<Path> splitFile();

        /** How often the split file is checked for changes. */
        @WithDefault("1s")
        String reloadInterval();

        /** Request header (or gRPC metadata) carrying the user key. */
        @WithDefault(RuntimeContract.USER_HEADER)
        String userHeader();

        /** Longest the router waits for a candidate before the champion answers instead. */
        @WithDefault("300ms")
        String candidateTimeout();

        /** Longest the router waits for the champion (or a shadow) before answering 503. */
        @WithDefault("3s")
        String timeout();

        /** How often each backend's readiness is probed. */
        @WithDefault("1s")
        String probeInterval();

        /** Most concurrent connections to one backend. */
        @WithDefault("64")
        int maxConnections();
    }

    interface Attribution {
        /** Served recommendations remembered for feedback attribution (oldest forgotten first). */
        @WithDefault("200000")
        int capacity();

        /** How long a served recommendation can still be credited with feedback. */
        @WithDefault("3600s")
        String retention();
    }

    interface Model {
        /** The package: file:// or a path, https://, models:/, runs:/ or mlflow-artifacts:/. */
        Optional<String> uri();

        /** The model's name: the model metric label and the v2 model name. */
        @WithDefault("sequor")
        String name();

        /** Registry version, when known; the version metric label. */
        Optional<String> version();

        /** Where downloaded packages are unpacked. */
        @WithDefault("${java.io.tmpdir}/sequor-models")
        Path cacheDir();
    }

    interface Batch {
        /** Most requests in one model run. */
        @WithDefault("32")
        int maxSize();

        /** Longest a request waits for others to join its batch (0 turns batching off). */
        @WithDefault("1ms")
        String maxDelay();

        default Duration maxDelayDuration() {
            return Durations.parse(maxDelay());
        }
    }

    interface TopK {
        @WithName("default")
        @WithDefault("10")
        int defaultK();

        @WithDefault("200")
        int max();
    }

    interface Inference {
        /** ONNX Runtime intra-op threads; 0 means one per available core. */
        @WithDefault("0")
        int threads();

        /**
         * Whether ONNX Runtime's intra-op threads spin-wait between runs. Off by default: on a
         * server the spinning takes CPU from request handling (measured in docs/benchmarks.md).
         */
        @WithDefault("false")
        boolean spinWait();

        /** A request still waiting after this long is answered 503. */
        @WithDefault("2s")
        String timeout();

        /** Largest request body, in bytes. */
        @WithDefault("1048576")
        int maxRequestBytes();
    }
}
