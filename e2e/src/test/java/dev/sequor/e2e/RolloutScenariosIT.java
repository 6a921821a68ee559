package dev.sequor.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sequor.api.v1alpha1.CandidateStatus;
import dev.sequor.api.v1alpha1.RolloutRecord;
import dev.sequor.operator.rollout.RolloutController;
import dev.sequor.operator.testing.TestModels;
import dev.sequor.testing.RuntimeProcess;
import java.io.IOException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Rollouts under load, every part real: the operator (its own identity and RBAC) against the real
 * API server, the local registry's aliases, the packaged runtime as a router and as predictors of
 * each version, a real Prometheus scraping the router, and users who ask for recommendations and
 * click. The only stand-ins: the split ConfigMap reaches the router's file through
 * {@link SplitProjection} (the kubelet's job), and one candidate's faults come from
 * {@link FaultInjectingProxy}. One resource lives through the scenarios in order, as a model's
 * versions would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloutScenariosIT extends RolloutFixture {

    static final String SPEC = """
            model: {registry: {name: synthetic, alias: champion}}
            rollout:
              strategy: Canary
              salt: e2e
              candidateAlias: candidate
              steps: [{weight: 30, pause: 6s}, {weight: 60, pause: 6s}]
              analysis:
                interval: 3s
                inconclusiveLimit: 30
                guardrails:
                  - {name: errors, metric: ErrorRate, max: 0.05}
                  - {name: fallbacks, metric: FallbackRate, max: 0.05}
                quality: {metric: HitRate, event: click, alpha: 0.001, minimumEffect: 0.1, minimumTrials: 200}
            """;

    @Override
    protected String initialSpec() {
        return SPEC;
    }

    @Test
    @Order(1)
    void aGoodCandidateGoesThroughEveryStepAndIsPromoted() {
        setCandidateAlias("2");
        CandidateStatus done = awaitPhase("2", "Promoted");
        assertThat(done.message()).contains("Passed every step");
        assertThat(done.test().candidateTrials()).isGreaterThanOrEqualTo(200);
        assertThat(registry.versionOf(MODEL, "champion")).as("the champion alias moved").isEqualTo("2");
        assertThat(history().get(0)).satisfies(h -> {
            assertThat(h.version()).isEqualTo("2");
            assertThat(h.championVersion()).isEqualTo("1");
            assertThat(h.outcome()).isEqualTo("Promoted");
        });
        awaitEvents("RolloutStarted", "RolloutStepAdvanced", "RolloutPromoted");
        awaitSplit("2", 100);
        assertThat(traffic.answeredBy("2")).isPositive();
        stopPredictor("1");
    }

    @Test
    @Order(2)
    void aCandidateWithErrorsIsRolledBackInItsFirstStepAndTheChampionKeepsServing() throws IOException {
        RuntimeProcess v3 = startPredictor("3");
        faulty = new FaultInjectingProxy(v3.url(), 0.5);
        projection.serve("3", faulty.url(), v3.grpcTarget());
        setCandidateAlias("3");
        CandidateStatus done = awaitPhase("3", "RolledBack");
        assertThat(done.message()).contains("Guardrail breached", "fallbacks");
        assertThat(done.step()).as("rolled back before its first step ended").isEqualTo(1);
        assertThat(done.measurements()).anySatisfy(m -> {
            assertThat(m.name()).isEqualTo("fallbacks");
            assertThat(m.verdict()).isEqualTo("BREACH");
        });
        assertThat(registry.versionOf(MODEL, "champion")).as("the alias is not moved").isEqualTo("2");
        assertThat(model().getStatus().condition("Degraded")).hasValueSatisfying(c -> {
            assertThat(c.status()).isEqualTo("True");
            assertThat(c.reason()).isEqualTo("RolloutRolledBack");
            assertThat(c.message()).contains("Version 2 serves everyone");
        });
        awaitSplit("2", 100);
    }

    @Test
    @Order(3)
    void aPersonRetriesPausesAndAbortsWithAnnotations() {
        faulty.failureRate(0);
        annotate("retry");
        awaitPhase("3", "Progressing");
        annotate("pause");
        CandidateStatus paused = awaitPhase("3", "Paused");
        // Two analysis runs later the step's pause is long over, and it still holds.
        String first = awaitNextAnalysis(paused.lastAnalysisAt());
        String second = awaitNextAnalysis(first);
        CandidateStatus held = candidate();
        assertThat(held.phase()).isEqualTo("Paused");
        assertThat(held.step()).isEqualTo(1);
        assertThat(held.weight()).isEqualTo(30);
        assertThat(held.lastAnalysisAt()).isEqualTo(second);
        annotate("abort");
        CandidateStatus aborted = awaitPhase("3", "Aborted");
        assertThat(aborted.message()).contains("Aborted by hand");
        assertThat(model().getStatus().condition("Degraded").orElseThrow().reason()).isEqualTo("RolloutAborted");
        assertThat(model().getMetadata().getAnnotations()).doesNotContainKey(RolloutController.ACTION_ANNOTATION);
        awaitEvents("RolloutPaused", "RolloutResumed");
        awaitSplit("2", 100);
    }

    @Test
    @Order(4)
    void aCandidateOfLowerQualityIsRolledBackByTheSequentialTest() {
        startPredictor("4");
        stopPredictor("3");
        faulty.close();
        setCandidateAlias("4");
        CandidateStatus done = awaitPhase("4", "RolledBack");
        assertThat(done.message()).contains("Quality worse than the champion");
        assertThat(done.test().decision()).isEqualTo("CANDIDATE_WORSE");
        assertThat(done.test().pValue()).isLessThanOrEqualTo(0.001);
        assertThat(done.test().effect()).isNegative();
        assertThat(registry.versionOf(MODEL, "champion")).isEqualTo("2");
        awaitSplit("2", 100);
    }

    @Test
    @Order(5)
    void prometheusGoingAwayHoldsTheRolloutUntilItReturns() {
        startPredictor("5");
        stopPredictor("4");
        setCandidateAlias("5");
        CandidateStatus measured = await().atMost(DECISION).until(this::shown,
                c -> c != null && c.model().version().equals("5") && c.lastAnalysisAt() != null);
        assertThat(measured.phase()).isEqualTo("Progressing");
        prometheus.stop();
        CandidateStatus held = awaitPhase("5", "Inconclusive");
        assertThat(held.message()).contains("did not answer");
        assertThat(held.failures()).as("no data is never a failure").isZero();
        awaitEvent("AnalysisInconclusive", "did not answer");
        prometheus.restart();
        CandidateStatus done = awaitPhase("5", "Promoted");
        assertThat(registry.versionOf(MODEL, "champion")).isEqualTo("5");
        assertThat(history()).extracting(RolloutRecord::version, RolloutRecord::outcome).startsWith(
                org.assertj.core.groups.Tuple.tuple("5", "Promoted"), org.assertj.core.groups.Tuple.tuple("4", "RolledBack"));
        awaitEvent("RolloutResumed", "Analysis has data again; rollout of version 5 resumed");
        assertThat(done.inconclusive()).isZero();
        awaitSplit("5", 100);
    }

    @Test
    @Order(6)
    void aSpecEditToAPinnedVersionIsRolledOutTheSameWay() {
        TestModels.replaceSpec(admin, namespace, MODEL, SPEC
                .replace("model: {registry: {name: synthetic, alias: champion}}",
                        "model: {registry: {name: synthetic, version: '2'}}")
                .replace("  candidateAlias: candidate\n", ""));
        CandidateStatus done = awaitPhase("2", "Promoted");
        assertThat(done.source()).isEqualTo(RolloutController.FROM_SPEC);
        assertThat(history().get(0)).satisfies(h -> {
            assertThat(h.version()).isEqualTo("2");
            assertThat(h.championVersion()).isEqualTo("5");
        });
        assertThat(registry.versionOf(MODEL, "champion")).as("a spec-driven rollout moves no alias").isEqualTo("5");
        awaitSplit("2", 100);
        await().atMost(DECISION).until(() -> model().getStatus().model().version().equals("2"));
        stopPredictor("5");
    }

    @Test
    @Order(7)
    void anAbTestIsPromotedWhenTheSequentialTestFindsTheCandidateBetter() {
        startPredictor("1");
        traffic.clickProbability(version -> version.equals("1") ? BETTER_CLICK : CLICK);
        TestModels.replaceSpec(admin, namespace, MODEL, """
                model: {registry: {name: synthetic, version: '1'}}
                rollout:
                  strategy: ABTest
                  salt: e2e-ab
                  steps: [{weight: 50, pause: 0s}]
                  analysis:
                    interval: 3s
                    maxDuration: 10m
                    guardrails: [{name: errors, metric: ErrorRate, max: 0.05}]
                    quality: {metric: HitRate, event: click, alpha: 0.001, minimumEffect: 0.1, minimumTrials: 200}
                """);
        CandidateStatus done = awaitPhase("1", "Promoted");
        assertThat(done.message()).contains("Better than the champion");
        assertThat(done.test().decision()).isEqualTo("CANDIDATE_BETTER");
        assertThat(done.test().pValue()).isLessThanOrEqualTo(0.001);
        assertThat(done.test().effect()).isPositive();
        awaitSplit("1", 100);
    }

    @Test
    @Order(8)
    void aShadowIsJudgedByItsAgreementOnMirroredTraffic() {
        // Version 2 is another model: on these users' histories its lists share nothing with version 1's.
        TestModels.replaceSpec(admin, namespace, MODEL, shadowOf("2"));
        CandidateStatus disagreeing = awaitPhase("2", "RolledBack");
        assertThat(disagreeing.measurements()).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("agreement");
            assertThat(m.value()).isLessThan(0.05);
            assertThat(m.verdict()).isEqualTo("BREACH");
        });
        // Version 3 is the same package as version 1: the lists agree, and after its comparison time it is promoted.
        startPredictor("3");
        TestModels.replaceSpec(admin, namespace, MODEL, shadowOf("3"));
        CandidateStatus agreeing = awaitPhase("3", "Promoted");
        assertThat(agreeing.message()).contains("Compared for 6s with every guardrail passing");
        assertThat(agreeing.measurements()).singleElement()
                .satisfies(m -> assertThat(m.value()).as("overlap@k with the answers users got").isEqualTo(1.0));
        awaitSplit("3", 100);
    }

    private static String shadowOf(String version) {
        return """
                model: {registry: {name: synthetic, version: '%s'}}
                rollout:
                  strategy: Shadow
                  shadowShare: 0.5
                  steps: [{weight: 0, pause: 6s}]
                  analysis:
                    interval: 3s
                    guardrails: [{name: agreement, metric: ShadowOverlap, min: 0.05}]
                """.formatted(version);
    }
}
