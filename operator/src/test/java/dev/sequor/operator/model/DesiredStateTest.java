package dev.sequor.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.ResolvedModel;
import dev.sequor.operator.testing.TestModels;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DesiredStateTest {

    private static final OperatorDefaults DEFAULTS = OperatorDefaults.standard("runtime:1");
    private static final ModelPackage PKG =
            new ModelPackage(new ResolvedModel(null, null, null, "https://models.example/m"), null, null);

    @Test
    void fixedReplicasNeedNoAutoscaler() {
        RecommenderModel model = TestModels.stored("movies", "recs", "model: {uri: 'https://models.example/m'}");
        DesiredState state = DesiredState.of(model, PKG, DEFAULTS, false);

        assertThat(state.autoscaler()).isEmpty();
        assertThat(state.serviceMonitor()).isEmpty();
        assertThat(state.service().getMetadata().getName()).isEqualTo("movies");
        assertThat(state.service().getSpec().getSelector())
                .isEqualTo(state.deployment().getSpec().getSelector().getMatchLabels());
        assertThat(state.disruptionBudget().getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    }

    @Test
    void autoscalingBuildsACpuAutoscalerForThePredictor() {
        RecommenderModel model = TestModels.stored("movies", "recs", """
                model: {uri: 'https://models.example/m'}
                serving: {autoscaling: {minReplicas: 2, maxReplicas: 8, targetCPUUtilizationPercentage: 55}}
                """);
        HorizontalPodAutoscaler hpa = DesiredState.of(model, PKG, DEFAULTS, false).autoscaler().orElseThrow();

        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("movies-predictor");
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(8);
        assertThat(hpa.getSpec().getMetrics().get(0).getResource().getTarget().getAverageUtilization()).isEqualTo(55);
    }

    @Test
    void serviceMonitorScrapesTheRuntimeMetricsWhenPrometheusOperatorIsInstalled() {
        RecommenderModel model = TestModels.stored("movies", "recs", "model: {uri: 'https://models.example/m'}");
        DesiredState state = DesiredState.of(model, PKG, DEFAULTS, true);

        var monitor = state.serviceMonitor().orElseThrow();
        assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
        assertThat(spec.toString()).contains("path=/q/metrics").contains("port=http");
        assertThat(state.service().getMetadata().getLabels())
                .containsAllEntriesOf(Map.of(Labels.INSTANCE, "movies", Labels.MANAGED_BY, Labels.OPERATOR));
    }

    @Test
    void endpointNamesTheStableService() {
        RecommenderModel model = TestModels.stored("movies", "recs", "model: {uri: 'https://models.example/m'}");
        var endpoint = PredictorService.endpoint(model, DEFAULTS);
        assertThat(endpoint.http()).isEqualTo("http://movies.recs.svc:8080");
        assertThat(endpoint.grpc()).isEqualTo("movies.recs.svc:9000");
    }
}
