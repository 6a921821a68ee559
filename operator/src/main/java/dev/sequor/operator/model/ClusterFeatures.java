package dev.sequor.operator.model;

/**
 * Optional APIs the cluster has (their CRDs are installed), which decide some of the objects.
 *
 * @param serviceMonitors the Prometheus Operator's ServiceMonitor
 * @param keda KEDA's ScaledObject
 */
public record ClusterFeatures(boolean serviceMonitors, boolean keda) {

    public static final ClusterFeatures NONE = new ClusterFeatures(false, false);
}
