package dev.sequor.operator.config;

import dev.sequor.operator.model.OperatorDefaults;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Operator settings (application.properties, or SEQUOR_* environment variables). */
@ConfigMapping(prefix = "sequor")
public interface OperatorConfig {

    Runtime runtime();

    Registry registry();

    @WithName("leader-election")
    Leadership leaderElection();

    Keda keda();

    Analysis analysis();

    Training training();

    interface Training {
        /** The trainer image of retraining Jobs whose resource names none. */
        @WithDefault("ghcr.io/sequor-dev/trainer:0.1.0")
        String image();
    }

    interface Analysis {
        /**
         * Prometheus server that rollout analysis queries (scraping the runtime and router pods).
         * Unset: the KEDA one. Neither: analysed rollouts are inconclusive and say why.
         */
        Optional<String> prometheusUrl();

        /** Longest one analysis query may take. */
        @WithDefault("10s")
        Duration queryTimeout();

        /**
         * How often a resource with an analysed rollout asks its registry whether the candidate or
         * champion alias moved (registries send no events).
         */
        @WithDefault("30s")
        Duration registryPollInterval();
    }

    /** The Prometheus server rollout analysis asks. */
    default Optional<String> analysisPrometheusUrl() {
        return analysis().prometheusUrl().or(() -> keda().prometheusUrl());
    }

    interface Keda {
        /**
         * Prometheus server (scraping the runtime pods) that KEDA's triggers query, e.g.
         * http://prometheus-operated.monitoring.svc:9090. Unset: autoscaling stays an HPA on CPU.
         */
        Optional<String> prometheusUrl();
    }

    interface Leadership {
        /** Namespace of the Lease; see {@link LeaderElection} for what is used when unset. */
        Optional<String> namespace();

        /** Exit the process when the Lease is lost (Kubernetes restarts the pod as a follower). */
        @WithDefault("true")
        boolean exitOnStopLeading();
    }

    interface Runtime {
        /** Inference runtime image for pods whose resource names none. */
        @WithDefault("ghcr.io/sequor-dev/inference-runtime:0.1.0")
        String image();

        @WithDefault("IfNotPresent")
        String imagePullPolicy();

        /** CPU per pod when spec.serving.resources.cpu is unset. */
        @WithDefault("1")
        String defaultCpu();

        /** Memory per pod when spec.serving.resources.memory is unset. */
        @WithDefault("2Gi")
        String defaultMemory();

        /** Suffix of in-cluster Service host names reported in status.endpoint. */
        @WithDefault("svc")
        String clusterDomainSuffix();
    }

    interface Registry {
        Mlflow mlflow();

        Local local();

        interface Mlflow {
            /** Default MLflow tracking server for registry references. */
            Optional<String> trackingUri();

            /** Longest a registry lookup may take before it counts as unreachable. */
            @WithDefault("20s")
            Duration timeout();
        }

        interface Local {
            /** Root of the local directory registry, used when no MLflow is configured. */
            Optional<Path> root();
        }
    }

    default OperatorDefaults defaults() {
        Runtime r = runtime();
        return new OperatorDefaults(r.image(), r.imagePullPolicy(), r.defaultCpu(), r.defaultMemory(),
                r.clusterDomainSuffix(), keda().prometheusUrl());
    }
}
