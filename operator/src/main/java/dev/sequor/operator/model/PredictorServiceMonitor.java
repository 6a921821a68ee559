package dev.sequor.operator.model;

import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.contract.RuntimeContract;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.List;
import java.util.Map;

/**
 * A Prometheus Operator ServiceMonitor scraping every runtime pod of the model (routers through
 * the public Service, predictors through their versions' Services), when that CRD exists.
 */
public final class PredictorServiceMonitor {

    public static final String API_VERSION = "monitoring.coreos.com/v1";
    public static final String KIND = "ServiceMonitor";
    public static final String CRD_NAME = "servicemonitors.monitoring.coreos.com";

    private PredictorServiceMonitor() {
    }

    public static GenericKubernetesResource build(RecommenderModel model) {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(API_VERSION)
                .withKind(KIND)
                .withMetadata(OwnerReferences.metadata(model, Names.monitor(model), Labels.model(model)))
                .withAdditionalProperties(Map.of("spec", Map.of(
                        "selector", Map.of("matchLabels", Map.of(
                                Labels.INSTANCE, model.getMetadata().getName(),
                                Labels.MANAGED_BY, Labels.OPERATOR)),
                        "endpoints", List.of(Map.of(
                                "port", "http",
                                "path", RuntimeContract.METRICS_PATH,
                                "interval", "30s")))))
                .build();
    }
}
