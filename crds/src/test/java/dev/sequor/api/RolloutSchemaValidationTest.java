package dev.sequor.api;

import static org.assertj.core.api.Assertions.assertThat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** spec.rollout as the real API server judges it: hand-set splits and analysed rollouts. */
class RolloutSchemaValidationTest extends ApiServerSchema {

    private static final String ROLLOUT_HEAD = """
            spec:
              model: {registry: {name: movies-sasrec, alias: champion}}
              rollout:
            """;

    static Stream<Arguments> invalidRollouts() {
        return Stream.of(
                Arguments.of("candidate weights above 100", """
                            strategy: ABTest
                            candidates:
                              - {name: b, model: {uri: 'https://m.example.com/b'}, weight: 60}
                              - {name: c, model: {uri: 'https://m.example.com/c'}, weight: 50}
                        """, "candidate weights must sum to at most 100"),
                Arguments.of("a weight above 100", """
                            strategy: Canary
                            candidates: [{name: b, model: {uri: 'https://m.example.com/b'}, weight: 101}]
                        """, "weight"),
                Arguments.of("a canary with two candidates", """
                            strategy: Canary
                            candidates:
                              - {name: b, model: {uri: 'https://m.example.com/b'}, weight: 5}
                              - {name: c, model: {uri: 'https://m.example.com/c'}, weight: 5}
                        """, "Canary and Shadow set by hand need exactly one candidate"),
                Arguments.of("a canary without a candidate", "    strategy: Canary\n",
                        "Canary and Shadow set by hand need exactly one candidate"),
                Arguments.of("analysis without steps", """
                            strategy: Canary
                            analysis: {interval: 30s}
                        """, "analysis and steps go together"),
                Arguments.of("analysis on Immediate", """
                            strategy: Immediate
                            steps: [{weight: 10}]
                            analysis: {interval: 30s}
                        """, "Immediate has nothing to analyse"),
                Arguments.of("analysis with hand-set candidates", """
                            strategy: Canary
                            candidates: [{name: b, model: {uri: 'https://m.example.com/b'}, weight: 10}]
                            steps: [{weight: 10}]
                            analysis: {interval: 30s}
                        """, "not candidates"),
                Arguments.of("a candidate alias without analysis", """
                            strategy: Canary
                            candidateAlias: candidate
                            candidates: [{name: b, model: {uri: 'https://m.example.com/b'}, weight: 10}]
                        """, "candidateAlias starts analysed rollouts"),
                Arguments.of("a candidate alias equal to the champion's", """
                            strategy: Canary
                            candidateAlias: champion
                            steps: [{weight: 10}]
                            analysis: {interval: 30s}
                        """, "candidateAlias needs spec.model.registry to follow another alias"),
                Arguments.of("an analysed A/B test of two steps", """
                            strategy: ABTest
                            steps: [{weight: 10}, {weight: 50}]
                            analysis: {quality: {minimumEffect: 0.01}}
                        """, "take exactly one step"),
                Arguments.of("an analysed A/B test without quality", """
                            strategy: ABTest
                            steps: [{weight: 50}]
                            analysis: {interval: 30s}
                        """, "decided by analysis.quality"),
                Arguments.of("a canary step of 0%", """
                            strategy: Canary
                            steps: [{weight: 0, pause: 1m}]
                            analysis: {interval: 30s}
                        """, "at least 1% of users"),
                Arguments.of("a shadow step with users", """
                            strategy: Shadow
                            shadowShare: 0.2
                            steps: [{weight: 10, pause: 1m}]
                            analysis: {interval: 30s}
                        """, "a Shadow step serves no users"),
                Arguments.of("a step pause that is no duration", """
                            strategy: Canary
                            steps: [{weight: 10, pause: 'five minutes'}]
                            analysis: {interval: 30s}
                        """, "pause"),
                Arguments.of("a guardrail with metric and query", """
                            strategy: Canary
                            steps: [{weight: 10}]
                            analysis: {guardrails: [{name: errors, metric: ErrorRate, query: 'up', max: 0.01}]}
                        """, "exactly one of metric (built in) or query"),
                Arguments.of("a guardrail without bounds", """
                            strategy: Canary
                            steps: [{weight: 10}]
                            analysis: {guardrails: [{name: errors, metric: ErrorRate}]}
                        """, "a guardrail needs max, min or both"),
                Arguments.of("two guardrails of one name", """
                            strategy: Canary
                            steps: [{weight: 10}]
                            analysis:
                              guardrails: [{name: e, metric: ErrorRate, max: 0.1}, {name: e, metric: LatencyP99, max: 1}]
                        """, "guardrail names must be unique"),
                Arguments.of("an unknown quality test", """
                            strategy: ABTest
                            steps: [{weight: 50}]
                            analysis: {quality: {test: tTest}}
                        """, "test"),
                Arguments.of("both minimum effect and mixing variance", """
                            strategy: ABTest
                            steps: [{weight: 50}]
                            analysis: {quality: {minimumEffect: 0.01, mixingVariance: 0.0001}}
                        """, "minimumEffect or mixingVariance, not both"),
                Arguments.of("Immediate with candidates", """
                            strategy: Immediate
                            candidates: [{name: b, model: {uri: 'https://m.example.com/b'}}]
                        """, "Immediate takes no candidates"),
                Arguments.of("a shadow share out of range", """
                            strategy: Shadow
                            shadowShare: 1.5
                            candidates: [{name: b, model: {uri: 'https://m.example.com/b'}}]
                        """, "shadowShare"),
                Arguments.of("a shadow without a share", """
                            strategy: Shadow
                            candidates: [{name: b, model: {uri: 'https://m.example.com/b'}}]
                        """, "shadowShare is required with strategy Shadow"),
                Arguments.of("a shadow candidate with users", """
                            strategy: Shadow
                            shadowShare: 0.1
                            candidates: [{name: b, model: {uri: 'https://m.example.com/b'}, weight: 10}]
                        """, "weight must be 0 or unset"),
                Arguments.of("a shadow share on a canary", """
                            strategy: Canary
                            shadowShare: 0.1
                            candidates: [{name: b, model: {uri: 'https://m.example.com/b'}, weight: 10}]
                        """, "shadowShare is required with strategy Shadow, and only there"),
                Arguments.of("a candidate named champion", """
                            strategy: Canary
                            candidates: [{name: champion, model: {uri: 'https://m.example.com/b'}, weight: 10}]
                        """, "a candidate cannot be named champion"),
                Arguments.of("two candidates of one name", """
                            strategy: ABTest
                            candidates:
                              - {name: b, model: {uri: 'https://m.example.com/b'}, weight: 10}
                              - {name: b, model: {uri: 'https://m.example.com/c'}, weight: 10}
                        """, "candidate names must be unique"),
                Arguments.of("an unknown strategy", "    strategy: BlueGreen\n", "strategy"),
                Arguments.of("a candidate with two sources", """
                            strategy: Canary
                            candidates:
                              - name: b
                                model: {uri: 'https://m.example.com/b', registry: {name: m, version: '2'}}
                                weight: 10
                        """, "exactly one source"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRollouts")
    void rejectsInvalidRollout(String name, String body, String expectedInMessage) {
        assertThat(refusal(HEAD + ROLLOUT_HEAD + body)).as(name).contains(expectedInMessage);
    }

    @Test
    void acceptsEveryStrategy() {
        accept(HEAD + ROLLOUT_HEAD + """
                    strategy: Canary
                    salt: exp-7
                    candidates: [{name: candidate, model: {registry: {name: movies-sasrec, version: '8'}}, weight: 5}]
                """);
        accept(HEAD + ROLLOUT_HEAD + """
                    strategy: ABTest
                    candidates:
                      - {name: b, model: {registry: {name: movies-sasrec, version: '8'}}, weight: 30}
                      - {name: c, model: {uri: 'https://m.example.com/c'}, weight: 30}
                """);
        accept(HEAD + ROLLOUT_HEAD + """
                    strategy: Shadow
                    shadowShare: 0.2
                    candidates: [{name: candidate, model: {registry: {name: movies-sasrec, version: '8'}}}]
                """);
        accept(HEAD + ROLLOUT_HEAD + "    strategy: Immediate\n" + "  serving: {router: {replicas: 3}}\n");
    }

    @Test
    void acceptsEveryAnalysedStrategy() {
        accept(HEAD + ROLLOUT_HEAD + """
                    strategy: Canary
                    candidateAlias: candidate
                    steps: [{weight: 5, pause: 10m}, {weight: 25, pause: 30m}, {weight: 50, pause: 1h}]
                    analysis:
                      interval: 1m
                      failureLimit: 2
                      inconclusiveLimit: 10
                      maxDuration: 24h
                      guardrails:
                        - {name: errors, metric: ErrorRate, max: 0.01}
                        - {name: p99, metric: LatencyP99, max: 0.25}
                        - {name: fallbacks, metric: FallbackRate, max: 0.02}
                        - name: custom
                          query: 'sum(rate(sequor_requests_total{model="{{model}}",variant="{{variant}}"}[{{interval}}]))'
                          min: 1
                      quality: {metric: HitRate, event: click, test: mSPRT, alpha: 0.05, minimumEffect: 0.005, minimumTrials: 1000}
                """);
        accept(HEAD + ROLLOUT_HEAD + """
                    strategy: ABTest
                    steps: [{weight: 50, pause: 1d}]
                    analysis: {quality: {metric: ClickThroughRate, mixingVariance: 0.0001}, maxDuration: 336h}
                """.replace("1d", "24h"));
        accept(HEAD + ROLLOUT_HEAD + """
                    strategy: Shadow
                    shadowShare: 0.1
                    steps: [{weight: 0, pause: 2h}]
                    analysis: {guardrails: [{name: agreement, metric: ShadowOverlap, min: 0.6}]}
                """);
    }
}
