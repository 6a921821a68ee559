package dev.sequor.operator.model;

import dev.sequor.api.v1alpha1.AutoscalingSpec;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.contract.Metrics;
import dev.sequor.contract.Role;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What scales each Deployment of a model when spec.serving.autoscaling is set: every version's
 * predictors and the routers. Where KEDA is installed (and the operator knows the Prometheus
 * server), a KEDA ScaledObject on requests in flight, the load itself; otherwise a
 * HorizontalPodAutoscaler on CPU.
 */
public final class Autoscalers {

    public static final String KEDA_API_VERSION = "keda.sh/v1alpha1";
    public static final String SCALED_OBJECT = "ScaledObject";
    public static final String KEDA_CRD = "scaledobjects.keda.sh";

    /** One Deployment to scale and the series its load shows in. */
    private record Target(String name, Map<String, String> labels, int min, int max, String role, String version) {
    }

    private Autoscalers() {
    }

    public static List<HorizontalPodAutoscaler> horizontal(RecommenderModel model, List<ServedVersion> versions) {
        AutoscalingSpec autoscaling = model.getSpec().servingOrDefault().autoscaling();
        List<HorizontalPodAutoscaler> hpas = new ArrayList<>();
        for (Target t : targets(model, versions)) {
            hpas.add(new HorizontalPodAutoscalerBuilder()
                    .withMetadata(OwnerReferences.metadata(model, t.name(), t.labels()))
                    .withNewSpec()
                        .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment")
                            .withName(t.name()).endScaleTargetRef()
                        .withMinReplicas(t.min())
                        .withMaxReplicas(t.max())
                        .addNewMetric()
                            .withType("Resource")
                            .withNewResource()
                                .withName("cpu")
                                .withNewTarget().withType("Utilization")
                                    .withAverageUtilization(autoscaling.targetCpuOrDefault()).endTarget()
                            .endResource()
                        .endMetric()
                    .endSpec()
                    .build());
        }
        return hpas;
    }

    public static List<GenericKubernetesResource> keda(RecommenderModel model, List<ServedVersion> versions,
            String prometheusUrl) {
        AutoscalingSpec autoscaling = model.getSpec().servingOrDefault().autoscaling();
        List<GenericKubernetesResource> scaledObjects = new ArrayList<>();
        for (Target t : targets(model, versions)) {
            Map<String, Object> trigger = new LinkedHashMap<>();
            trigger.put("serverAddress", prometheusUrl);
            trigger.put("query", query(model, t));
            trigger.put("threshold", Integer.toString(autoscaling.targetInFlightOrDefault()));
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("scaleTargetRef", Map.of("name", t.name()));
            spec.put("minReplicaCount", t.min());
            spec.put("maxReplicaCount", t.max());
            spec.put("triggers", List.of(Map.of("type", "prometheus", "metadata", trigger)));
            scaledObjects.add(new GenericKubernetesResourceBuilder()
                    .withApiVersion(KEDA_API_VERSION).withKind(SCALED_OBJECT)
                    .withMetadata(OwnerReferences.metadata(model, t.name(), t.labels()))
                    .withAdditionalProperties(Map.of("spec", spec))
                    .build());
        }
        return scaledObjects;
    }

    /** The Deployment's requests in flight, summed over its pods (KEDA divides by the threshold). */
    static String query(RecommenderModel model, ServedVersion version) {
        return query(model, target(model, version, model.getSpec().servingOrDefault().autoscaling()));
    }

    private static String query(RecommenderModel model, Target t) {
        return "sum(" + Metrics.IN_FLIGHT + "{namespace=\"" + model.getMetadata().getNamespace() + "\","
                + Metrics.MODEL + "=\"" + model.getMetadata().getName() + "\"," + Metrics.ROLE + "=\"" + t.role() + "\""
                + (t.version() != null ? "," + Metrics.VERSION + "=\"" + t.version() + "\"" : "") + "})";
    }

    private static List<Target> targets(RecommenderModel model, List<ServedVersion> versions) {
        AutoscalingSpec autoscaling = model.getSpec().servingOrDefault().autoscaling();
        if (autoscaling == null) {
            return List.of();
        }
        List<Target> targets = new ArrayList<>();
        for (ServedVersion v : versions) {
            targets.add(target(model, v, autoscaling));
        }
        int routers = model.getSpec().servingOrDefault().routerOrDefault().replicasOrDefault();
        targets.add(new Target(Names.router(model), Labels.router(model), routers,
                Math.max(routers, autoscaling.maxReplicas()), Role.ROUTER, null));
        return targets;
    }

    private static Target target(RecommenderModel model, ServedVersion v, AutoscalingSpec autoscaling) {
        return new Target(Names.predictor(model, v), Labels.predictor(model, v), autoscaling.minReplicas(),
                autoscaling.maxReplicas(), Role.PREDICTOR, v.version());
    }
}
