package dev.sequor.runtime.api;

import dev.sequor.runtime.config.RuntimeConfig;
import dev.sequor.runtime.inference.LoadedModel;
import dev.sequor.runtime.inference.ModelService;
import dev.sequor.runtime.routing.RouterHealth;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * A predictor is ready once a model is loaded, checked and warmed up; a router once it has a
 * valid traffic split and its champion answers. Otherwise says why not.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    private final ModelService models;
    private final RuntimeConfig config;
    private final RouterHealth router;

    public ReadinessCheck(ModelService models, RuntimeConfig config, RouterHealth router) {
        this.models = models;
        this.config = config;
        this.router = router;
    }

    @Override
    public HealthCheckResponse call() {
        if (config.router()) {
            Optional<String> problem = router.problem();
            if (problem.isPresent()) {
                return HealthCheckResponse.named("router").down().withData("reason", problem.get()).build();
            }
            HealthCheckResponseBuilder up = HealthCheckResponse.named("router").up();
            router.assignment().ifPresent(a -> a.split().variants().forEach(r ->
                    up.withData(r.variant(), "version " + r.version() + ", " + r.weight() + "%")));
            return up.build();
        }
        ModelService.State s = models.state();
        LoadedModel m = s.model();
        if (m == null) {
            return HealthCheckResponse.named("model").down().withData("reason", s.problem()).build();
        }
        return HealthCheckResponse.named("model").up().withData("uri", m.uri()).withData("version", m.version())
                .withData("items", m.pkg().itemCount()).withData("provider", m.recommender().provider()).build();
    }
}
