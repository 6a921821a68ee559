package dev.sequor.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** spec.retraining as the real API server judges it. */
class RetrainingSchemaValidationTest extends ApiServerSchema {

    private static final String MODEL_AND_ROLLOUT = """
            spec:
              model: {registry: {name: games-sasrec, alias: champion}}
              rollout:
                strategy: Canary
                candidateAlias: candidate
                steps: [{weight: 10, pause: 30m}, {weight: 50, pause: 1h}]
                analysis: {interval: 1m, guardrails: [{name: errors, metric: ErrorRate, max: 0.01}]}
            """;

    /** The complete resource of docs/retraining.md: every trigger kind. */
    static final String COMPLETE = MODEL_AND_ROLLOUT + """
              retraining:
                triggers:
                  metric:
                    query: >-
                      sum(rate(sequor_feedback_hits_total{model="{{model}}",event="click"}[30m]))
                      / sum(rate(sequor_feedback_events_total{model="{{model}}",event="impression"}[30m]))
                    below: 0.05
                    for: 15m
                  schedule: {cron: '0 3 * * 1', timeZone: Europe/Berlin}
                  dataVolume: {newEvents: 100000}
                  interval: 1m
                cooldown: 6h
                feedback:
                  log: {claimName: games-feedback}
                job:
                  image: ghcr.io/sequor/trainer:0.1.0
                  resources: {gpu: 1, cpu: '4', memory: 16Gi}
                  baseData: {uri: 'pvc://datasets/games/interactions.csv', format: csv}
                  hyperParameters: {epochs: '50', loss: ce, lr: '0.001'}
                  maxRegression: 0.005
                  backoffLimit: 1
                  ttlSecondsAfterFinished: 86400
            """;

    private static final String JOB = """
                job:
                  baseData: {uri: 'pvc://datasets/games.csv'}
            """;

    static Stream<Arguments> invalidRetraining() {
        return Stream.of(
                Arguments.of("retraining without a candidate alias", """
                        spec:
                          model: {registry: {name: games-sasrec, alias: champion}}
                          retraining:
                        """ + JOB, "spec.retraining needs spec.model.registry.alias"),
                Arguments.of("retraining of a model given by URI", """
                        spec:
                          model: {uri: 'https://m.example.com/a'}
                          retraining:
                        """ + JOB, "spec.retraining needs spec.model.registry.alias"),
                Arguments.of("a metric trigger with below and above", MODEL_AND_ROLLOUT + """
                          retraining:
                            triggers: {metric: {query: up, below: 0.1, above: 0.9}}
                        """ + JOB, "exactly one of below and above"),
                Arguments.of("a metric trigger without a threshold", MODEL_AND_ROLLOUT + """
                          retraining:
                            triggers: {metric: {query: up}}
                        """ + JOB, "exactly one of below and above"),
                Arguments.of("a metric duration that is no duration", MODEL_AND_ROLLOUT + """
                          retraining:
                            triggers: {metric: {query: up, below: 1, for: 'a while'}}
                        """ + JOB, "for"),
                Arguments.of("a cron of four fields", MODEL_AND_ROLLOUT + """
                          retraining:
                            triggers: {schedule: {cron: '0 3 * *'}}
                        """ + JOB, "needs five fields"),
                Arguments.of("a data volume of 0", MODEL_AND_ROLLOUT + """
                          retraining:
                            triggers: {dataVolume: {newEvents: 0}}
                        """ + JOB, "newEvents"),
                Arguments.of("a cooldown that is no duration", MODEL_AND_ROLLOUT + """
                          retraining:
                            cooldown: 1 day
                        """ + JOB, "cooldown"),
                Arguments.of("base data not on a claim", MODEL_AND_ROLLOUT + """
                          retraining:
                            job: {baseData: {uri: 's3://bucket/games.csv'}}
                        """, "uri"),
                Arguments.of("no job", MODEL_AND_ROLLOUT + """
                          retraining:
                            cooldown: 1h
                        """, "job"),
                Arguments.of("a hyper-parameter the operator sets", MODEL_AND_ROLLOUT + """
                          retraining:
                            job:
                              baseData: {uri: 'pvc://datasets/games.csv'}
                              hyperParameters: {mlflow: 'http://elsewhere'}
                        """, "set by the operator"),
                Arguments.of("a hyper-parameter that is no option name", MODEL_AND_ROLLOUT + """
                          retraining:
                            job:
                              baseData: {uri: 'pvc://datasets/games.csv'}
                              hyperParameters: {'--epochs': '5'}
                        """, "keys are trainer options"),
                Arguments.of("a regression margin above 1", MODEL_AND_ROLLOUT + """
                          retraining:
                            job: {baseData: {uri: 'pvc://datasets/games.csv'}, maxRegression: 2}
                        """, "maxRegression"),
                Arguments.of("a feedback log without a claim", MODEL_AND_ROLLOUT + """
                          retraining:
                            feedback: {log: {}}
                        """ + JOB, "claimName"),
                Arguments.of("two feedback sinks", MODEL_AND_ROLLOUT + """
                          retraining:
                            feedback: {log: {claimName: games-feedback}, kafka: {bootstrapServers: 'kafka:9092'}}
                        """ + JOB, "exactly one sink"),
                Arguments.of("no feedback sink", MODEL_AND_ROLLOUT + """
                          retraining:
                            feedback: {}
                        """ + JOB, "exactly one sink"),
                Arguments.of("Kafka servers without a port", MODEL_AND_ROLLOUT + """
                          retraining:
                            feedback: {kafka: {bootstrapServers: 'kafka-0,kafka-1'}}
                        """ + JOB, "bootstrapServers"),
                Arguments.of("a topic Kafka cannot name", MODEL_AND_ROLLOUT + """
                          retraining:
                            feedback: {kafka: {bootstrapServers: 'kafka:9092', topic: 'games/feedback'}}
                        """ + JOB, "topic"),
                Arguments.of("a budget without differential privacy", MODEL_AND_ROLLOUT + """
                          retraining:
                            privacy: {budget: {epsilon: 10}}
                        """ + JOB, "needs differentialPrivacy"),
                Arguments.of("a budget below one run's epsilon", MODEL_AND_ROLLOUT + """
                          retraining:
                            privacy: {differentialPrivacy: {targetEpsilon: 8}, budget: {epsilon: 4}}
                        """ + JOB, "no run could ever start"),
                Arguments.of("epsilon zero", MODEL_AND_ROLLOUT + """
                          retraining:
                            privacy: {differentialPrivacy: {targetEpsilon: 0}}
                        """ + JOB, "targetEpsilon is in (0, 100]"),
                Arguments.of("delta of one", MODEL_AND_ROLLOUT + """
                          retraining:
                            privacy: {differentialPrivacy: {targetEpsilon: 8, delta: 1}}
                        """ + JOB, "delta is in (0, 0.01)"),
                Arguments.of("a clip of zero", MODEL_AND_ROLLOUT + """
                          retraining:
                            privacy: {differentialPrivacy: {targetEpsilon: 8, maxGradNorm: 0}}
                        """ + JOB, "maxGradNorm is positive"),
                Arguments.of("differential privacy with the softmax loss", MODEL_AND_ROLLOUT + """
                          retraining:
                            privacy: {differentialPrivacy: {targetEpsilon: 8}}
                            job:
                              baseData: {uri: 'pvc://datasets/games.csv'}
                              hyperParameters: {loss: ce}
                        """, "not the full softmax (ce)"),
                Arguments.of("differential privacy with BERT4Rec", MODEL_AND_ROLLOUT + """
                          retraining:
                            privacy: {differentialPrivacy: {targetEpsilon: 8}}
                            job:
                              baseData: {uri: 'pvc://datasets/games.csv'}
                              hyperParameters: {bert4rec: 'true', epochs: '5'}
                        """, "no time-span, events or bert4rec"),
                Arguments.of("the privacy options as hyper-parameters", MODEL_AND_ROLLOUT + """
                          retraining:
                            job:
                              baseData: {uri: 'pvc://datasets/games.csv'}
                              hyperParameters: {dp-epsilon: '1'}
                        """, "set by the operator"),
                Arguments.of("the Kafka options as hyper-parameters", MODEL_AND_ROLLOUT + """
                          retraining:
                            job:
                              baseData: {uri: 'pvc://datasets/games.csv'}
                              hyperParameters: {feedback-topic: 'other'}
                        """, "set by the operator"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRetraining")
    void rejectsInvalidRetraining(String name, String body, String expectedInMessage) {
        assertThat(refusal(HEAD + body)).as(name).contains(expectedInMessage);
    }

    @Test
    void acceptsACompleteRetrainingResourceAndTheSmallestOne() {
        accept(HEAD + COMPLETE);
        accept(HEAD + MODEL_AND_ROLLOUT + "  retraining:\n" + JOB);
        accept(HEAD + MODEL_AND_ROLLOUT + """
                  retraining:
                    privacy:
                      differentialPrivacy: {targetEpsilon: 8, delta: 1.0e-6, maxGradNorm: 1.0}
                      budget: {epsilon: 20}
                """ + JOB);
        // The trainer's default loss resolves to the sampled softmax under DP-SGD.
        accept(HEAD + MODEL_AND_ROLLOUT + """
                  retraining:
                    privacy: {differentialPrivacy: {targetEpsilon: 8}}
                    job:
                      baseData: {uri: 'pvc://datasets/games.csv'}
                      hyperParameters: {loss: auto}
                """);
        // A switch turned off explicitly is no conflict; BERT4Rec without DP is fine.
        accept(HEAD + MODEL_AND_ROLLOUT + """
                  retraining:
                    privacy: {differentialPrivacy: {targetEpsilon: 8}}
                    job:
                      baseData: {uri: 'pvc://datasets/games.csv'}
                      hyperParameters: {bert4rec: 'false', time-span: '0'}
                """);
        accept(HEAD + MODEL_AND_ROLLOUT + """
                  retraining:
                    job:
                      baseData: {uri: 'pvc://datasets/games.csv'}
                      hyperParameters: {bert4rec: 'true', mask-probability: '0.2'}
                """);
        accept(HEAD + MODEL_AND_ROLLOUT + """
                  retraining:
                    feedback: {kafka: {bootstrapServers: 'kafka-0.kafka:9092,kafka-1.kafka:9092', topic: games.feedback}}
                """ + JOB);
    }
}
