package dev.sequor.runtime.api;

import dev.sequor.runtime.inference.LoadedModel;
import dev.sequor.runtime.inference.ModelService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once a model is loaded, checked and warmed up; otherwise says why not. */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    private final ModelService models;

    public ReadinessCheck(ModelService models) {
        this.models = models;
    }

    @Override
    public HealthCheckResponse call() {
        ModelService.State s = models.state();
        LoadedModel m = s.model();
        if (m == null) {
            return HealthCheckResponse.named("model").down().withData("reason", s.problem()).build();
        }
        return HealthCheckResponse.named("model").up().withData("uri", m.uri()).withData("version", m.version())
                .withData("items", m.pkg().itemCount()).withData("provider", m.recommender().provider()).build();
    }
}
