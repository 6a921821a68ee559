package dev.sequor.operator.model;

/** Operator-wide settings the builders need, passed as values. */
public record OperatorDefaults(
        String runtimeImage,
        String imagePullPolicy,
        String defaultCpu,
        String defaultMemory,
        String clusterDomainSuffix) {

    public static OperatorDefaults standard(String runtimeImage) {
        return new OperatorDefaults(runtimeImage, "IfNotPresent", "1", "2Gi", "svc");
    }
}
