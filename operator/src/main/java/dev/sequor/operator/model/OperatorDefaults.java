package dev.sequor.operator.model;

import java.util.Optional;

/**
 * Operator-wide settings the builders need, passed as values.
 *
 * @param kedaPrometheusUrl the Prometheus server KEDA's triggers query; without it, autoscaling is
 *        an HPA on CPU even where KEDA is installed
 */
public record OperatorDefaults(
        String runtimeImage,
        String imagePullPolicy,
        String defaultCpu,
        String defaultMemory,
        String clusterDomainSuffix,
        Optional<String> kedaPrometheusUrl) {

    public static OperatorDefaults standard(String runtimeImage) {
        return new OperatorDefaults(runtimeImage, "IfNotPresent", "1", "2Gi", "svc", Optional.empty());
    }

    /** The same, with the Prometheus server KEDA's triggers query. */
    public OperatorDefaults withKedaPrometheus(String url) {
        return new OperatorDefaults(runtimeImage, imagePullPolicy, defaultCpu, defaultMemory, clusterDomainSuffix,
                Optional.of(url));
    }
}
