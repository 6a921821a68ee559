package dev.sequor.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequor.api.v1alpha1.CandidateStatus;
import dev.sequor.api.v1alpha1.Condition;
import dev.sequor.api.v1alpha1.Endpoint;
import dev.sequor.api.v1alpha1.Reason;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.RecommenderModelStatus;
import dev.sequor.api.v1alpha1.ResolvedModel;
import dev.sequor.api.v1alpha1.RolloutRecord;
import dev.sequor.operator.registry.ModelResolutionException;
import dev.sequor.operator.testing.TestModels;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusBuilderTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final ResolvedModel V7 = new ResolvedModel("movies-sasrec", "7", "champion", "mlflow-artifacts:/x");
    private static final Endpoint ENDPOINT = new Endpoint("http://movies.recs.svc:8080", "movies.recs.svc:9000");

    @Test
    void servingPodsMakeTheModelReady() {
        RecommenderModel model = model();
        RecommenderModelStatus s = StatusBuilder.resolved(model, V7,
                observed(new DeploymentObservation(true, 2, 2, 2, 2, true, null)), ENDPOINT, SERVING, NOW);

        assertThat(condition(s, ConditionType.READY).status()).isEqualTo(Condition.TRUE);
        assertThat(condition(s, ConditionType.MODEL_RESOLVED).message()).contains("movies-sasrec version 7");
        assertThat(condition(s, ConditionType.PROGRESSING).reason()).isEqualTo("RolloutComplete");
        assertThat(condition(s, ConditionType.DEGRADED).status()).isEqualTo(Condition.FALSE);
        assertThat(s.observedGeneration()).isEqualTo(1L);
        assertThat(s.readyReplicas()).isEqualTo(2);
        assertThat(s.model()).isEqualTo(V7);
    }

    @Test
    void noRouterReadyMeansNotReady() {
        RecommenderModelStatus s = StatusBuilder.resolved(model(), V7, new StatusBuilder.Observed(
                new DeploymentObservation(true, 2, 2, 2, 2, true, null), new DeploymentObservation(true, 2, 0, 2, 2, true, null)),
                ENDPOINT, SERVING, NOW);
        assertThat(condition(s, ConditionType.READY).reason()).isEqualTo("NoReadyPods");
        assertThat(condition(s, ConditionType.READY).message()).contains("0 of 2 router pods ready");
        assertThat(s.split()).isEqualTo("champion v7 100%");
    }

    @Test
    void rollingOutIsProgressing() {
        RecommenderModelStatus s = StatusBuilder.resolved(model(), V7,
                observed(new DeploymentObservation(true, 2, 2, 1, 3, true, null)), ENDPOINT, SERVING, NOW);
        assertThat(condition(s, ConditionType.PROGRESSING).reason()).isEqualTo("RollingOut");
        assertThat(condition(s, ConditionType.PROGRESSING).status()).isEqualTo(Condition.TRUE);
    }

    @Test
    void registryFailureKeepsTheServingVersionReadyButDegraded() {
        RecommenderModel model = model();
        model.setStatus(StatusBuilder.resolved(model, V7, observed(new DeploymentObservation(true, 2, 2, 2, 2, true, null)),
                ENDPOINT, SERVING, NOW));
        ModelResolutionException failure = new ModelResolutionException(Reason.ALIAS_NOT_FOUND,
                "Registered model 'movies-sasrec' has no alias 'champion'.");

        RecommenderModelStatus s = StatusBuilder.resolutionFailed(model, failure,
                observed(new DeploymentObservation(true, 2, 2, 2, 2, true, null)), NOW.plusSeconds(60));

        assertThat(condition(s, ConditionType.MODEL_RESOLVED).status()).isEqualTo(Condition.FALSE);
        assertThat(condition(s, ConditionType.MODEL_RESOLVED).reason()).isEqualTo("AliasNotFound");
        assertThat(condition(s, ConditionType.READY).status()).isEqualTo(Condition.TRUE);
        assertThat(condition(s, ConditionType.READY).lastTransitionTime()).isEqualTo(NOW.toString());
        assertThat(condition(s, ConditionType.DEGRADED).message()).contains("Still serving movies-sasrec version 7");
        assertThat(s.model()).isEqualTo(V7);
    }

    @Test
    void registryFailureBeforeAnythingServesIsNotReady() {
        RecommenderModelStatus s = StatusBuilder.resolutionFailed(model(),
                new ModelResolutionException(Reason.REGISTRY_UNREACHABLE, "Cannot reach MLflow."),
                observed(DeploymentObservation.ABSENT), NOW);
        assertThat(condition(s, ConditionType.READY).reason()).isEqualTo("ModelNotResolved");
        assertThat(condition(s, ConditionType.PROGRESSING).reason()).isEqualTo("Blocked");
        assertThat(condition(s, ConditionType.DEGRADED).reason()).isEqualTo("RegistryUnreachable");
    }

    @Test
    void stalledRolloutIsDegraded() {
        RecommenderModelStatus s = StatusBuilder.resolved(model(), V7,
                observed(new DeploymentObservation(true, 2, 1, 1, 2, true, "ReplicaSet has timed out progressing.")),
                ENDPOINT, SERVING, NOW);
        assertThat(condition(s, ConditionType.DEGRADED).reason()).isEqualTo("RolloutStalled");
    }

    @Test
    void sameObservationGivesAnEqualStatus() {
        RecommenderModel model = model();
        DeploymentObservation d = new DeploymentObservation(true, 2, 2, 2, 2, true, null);
        model.setStatus(StatusBuilder.resolved(model, V7, observed(d), ENDPOINT, SERVING, NOW));
        assertThat(StatusBuilder.resolved(model, V7, observed(d), ENDPOINT, SERVING, NOW.plusSeconds(300))).isEqualTo(model.getStatus());
    }

    @Test
    void aRunningRolloutIsProgressingAndARollbackIsDegradedWhileTheChampionServes() {
        CandidateStatus candidate = new CandidateStatus(V8, "candidateAlias", "Progressing", 25, 2, 3, "Step 2 of 3",
                null, null, null, null, 0, 0, null, null);
        RecommenderModelStatus running = StatusBuilder.resolved(model(), V7, observed(SERVING_PODS), ENDPOINT,
                rollout(new StatusBuilder.Rollout(candidate, null, "Rolling out version 8 (Progressing): Step 2 of 3",
                        null, null)), NOW);
        assertThat(condition(running, ConditionType.PROGRESSING).reason()).isEqualTo("RollingOut");
        assertThat(condition(running, ConditionType.PROGRESSING).message()).contains("Rolling out version 8");
        assertThat(condition(running, ConditionType.DEGRADED).status()).isEqualTo(Condition.FALSE);
        assertThat(running.candidate()).isEqualTo(candidate);

        RolloutRecord rolledBack = new RolloutRecord("8", "7", "RolledBack", "Guardrail breached", null, null);
        RecommenderModelStatus after = StatusBuilder.resolved(model(), V7, observed(SERVING_PODS), ENDPOINT,
                rollout(new StatusBuilder.Rollout(candidate, List.of(rolledBack), null, Reason.ROLLOUT_ROLLED_BACK,
                        "Version 8 was rolled back")), NOW);
        assertThat(condition(after, ConditionType.READY).status()).as("the champion serves").isEqualTo(Condition.TRUE);
        assertThat(condition(after, ConditionType.PROGRESSING).reason()).isEqualTo("RolloutComplete");
        assertThat(condition(after, ConditionType.DEGRADED).reason()).isEqualTo("RolloutRolledBack");
        assertThat(after.history()).containsExactly(rolledBack);
    }

    @Test
    void aRegistryFailureKeepsTheRolloutsStatus() {
        RecommenderModel model = model();
        RolloutRecord promoted = new RolloutRecord("7", "6", "Promoted", "Passed every step", null, null);
        model.setStatus(StatusBuilder.resolved(model, V7, observed(SERVING_PODS), ENDPOINT, rollout(
                new StatusBuilder.Rollout(null, List.of(promoted), null, null, null)), NOW));
        RecommenderModelStatus s = StatusBuilder.resolutionFailed(model, new ModelResolutionException(
                Reason.REGISTRY_UNREACHABLE, "Cannot reach MLflow."), observed(SERVING_PODS), NOW);
        assertThat(s.history()).containsExactly(promoted);
    }

    private static final ResolvedModel V8 = new ResolvedModel("movies-sasrec", "8", "candidate", "mlflow-artifacts:/y");
    private static final DeploymentObservation SERVING_PODS = new DeploymentObservation(true, 2, 2, 2, 2, true, null);

    private static StatusBuilder.Serving rollout(StatusBuilder.Rollout rollout) {
        return new StatusBuilder.Serving(null, "champion v7 100%", null, null, rollout);
    }

    private static final StatusBuilder.Serving SERVING = new StatusBuilder.Serving(null, "champion v7 100%");

    /** The champion as observed, with two ready routers (or none when nothing exists yet). */
    private static StatusBuilder.Observed observed(DeploymentObservation champion) {
        return new StatusBuilder.Observed(champion, champion.exists()
                ? new DeploymentObservation(true, 2, 2, 2, 2, true, null) : DeploymentObservation.ABSENT);
    }

    private static RecommenderModel model() {
        return TestModels.stored("movies", "recs", "model: {registry: {name: movies-sasrec, alias: champion}}");
    }

    private static Condition condition(RecommenderModelStatus s, String type) {
        return s.condition(type).orElseThrow();
    }
}
