package dev.sequor.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequor.testing.KubeControlPlane;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed CRD installed in a real API server: bad resources are refused with a message a
 * person can act on (OpenAPI and CEL evaluated by Kubernetes itself), good ones accepted.
 * Server-side dry run with strict field validation, as kubectl sends it: nothing is stored.
 */
class SchemaValidationTest {

    private static final String NS = "schema";
    private static KubernetesClient client;

    @BeforeAll
    static void installCrd() throws IOException {
        KubeControlPlane plane = KubeControlPlane.shared();
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl(plane.url()).withOauthToken(plane.adminToken())
                .withTrustCerts(true).withDisableHostnameVerification(true).build()).build();
        CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(
                Files.readString(CrdGeneration.committedCrd()), CustomResourceDefinition.class);
        client.resource(crd).fieldManager("sequor-test").forceConflicts().serverSideApply();
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .fieldManager("sequor-test").serverSideApply();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!established(crd.getMetadata().getName())) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("CRD not established after 30 s");
            }
            Thread.onSpinWait();
        }
    }

    @AfterAll
    static void close() {
        client.close();
    }

    private static final String HEAD = """
            apiVersion: sequor.dev/v1alpha1
            kind: RecommenderModel
            metadata: {name: movies, namespace: recs}
            """;

    static Stream<Arguments> invalidResources() {
        return Stream.of(
                Arguments.of("no spec", "", "spec is required"),
                Arguments.of("missing model", "spec: {serving: {replicas: 1}}", "model"),
                Arguments.of("both sources", """
                        spec:
                          model:
                            registry: {name: movies, alias: champion}
                            uri: https://models.example.com/movies/7
                        """, "exactly one source"),
                Arguments.of("neither source", "spec: {model: {}}", "exactly one source"),
                Arguments.of("registry without version or alias", "spec: {model: {registry: {name: movies}}}",
                        "exactly one of version or alias"),
                Arguments.of("registry with version and alias",
                        "spec: {model: {registry: {name: movies, version: '3', alias: champion}}}",
                        "exactly one of version or alias"),
                Arguments.of("registry without name", "spec: {model: {registry: {alias: champion}}}", "name"),
                Arguments.of("version not a number", "spec: {model: {registry: {name: movies, version: latest}}}",
                        "version"),
                Arguments.of("unsupported uri scheme", "spec: {model: {uri: 'ftp://host/model'}}", "uri"),
                Arguments.of("negative gpus", """
                        spec:
                          model: {uri: 'https://models.example.com/m'}
                          serving: {resources: {gpu: -1}}
                        """, "gpu"),
                Arguments.of("autoscaling min above max", """
                        spec:
                          model: {uri: 'https://models.example.com/m'}
                          serving: {autoscaling: {minReplicas: 5, maxReplicas: 2}}
                        """, "minReplicas must not exceed maxReplicas"),
                Arguments.of("replicas and autoscaling", """
                        spec:
                          model: {uri: 'https://models.example.com/m'}
                          serving: {replicas: 2, autoscaling: {minReplicas: 1, maxReplicas: 3}}
                        """, "set replicas or autoscaling, not both"),
                Arguments.of("negative replicas", """
                        spec:
                          model: {uri: 'https://models.example.com/m'}
                          serving: {replicas: -3}
                        """, "replicas"),
                Arguments.of("malformed cpu quantity", """
                        spec:
                          model: {uri: 'https://models.example.com/m'}
                          serving: {resources: {cpu: two}}
                        """, "cpu"),
                Arguments.of("malformed memory quantity", """
                        spec:
                          model: {uri: 'https://models.example.com/m'}
                          serving: {resources: {memory: 4GB}}
                        """, "memory"),
                Arguments.of("unknown field in spec", """
                        spec:
                          model: {uri: 'https://models.example.com/m'}
                          replicas: 3
                        """, "replicas"),
                Arguments.of("unknown nested field", """
                        spec:
                          model: {uri: 'https://models.example.com/m'}
                          serving: {resources: {gpus: 1}}
                        """, "gpus"),
                Arguments.of("topK default above max", """
                        spec:
                          model: {uri: 'https://models.example.com/m'}
                          serving: {topK: {default: 50, max: 20}}
                        """, "default must not exceed max"),
                Arguments.of("malformed batching delay", """
                        spec:
                          model: {uri: 'https://models.example.com/m'}
                          serving: {batching: {maxDelay: 2 minutes}}
                        """, "maxDelay"),
                Arguments.of("bad toleration effect", """
                        spec:
                          model: {uri: 'https://models.example.com/m'}
                          serving: {tolerations: [{key: gpu, effect: Sometimes}]}
                        """, "effect"),
                Arguments.of("Exists toleration with a value", """
                        spec:
                          model: {uri: 'https://models.example.com/m'}
                          serving: {tolerations: [{key: gpu, operator: Exists, value: 'true'}]}
                        """, "operator Exists must not set a value"),
                Arguments.of("tolerationSeconds without NoExecute", """
                        spec:
                          model: {uri: 'https://models.example.com/m'}
                          serving: {tolerations: [{key: gpu, effect: NoSchedule, tolerationSeconds: 60}]}
                        """, "tolerationSeconds applies only to effect NoExecute"),
                Arguments.of("pvc path escaping its volume", "spec: {model: {uri: 'pvc://claim/../../etc'}}",
                        "must not contain '.' or '..' path segments"),
                Arguments.of("pvc path with a dot segment", "spec: {model: {uri: 'pvc://claim/./m'}}",
                        "must not contain '.' or '..' path segments"),
                Arguments.of("https path escaping upwards", "spec: {model: {uri: 'https://h.example/m/..'}}",
                        "must not contain '.' or '..' path segments"),
                Arguments.of("zero cpu", """
                        spec:
                          model: {uri: 'https://models.example.com/m'}
                          serving: {resources: {cpu: "0"}}
                        """, "cpu must be more than 0"),
                Arguments.of("zero memory", """
                        spec:
                          model: {uri: 'https://models.example.com/m'}
                          serving: {resources: {memory: 0Gi}}
                        """, "memory must be at least 128Mi"),
                Arguments.of("memory too small for the runtime", """
                        spec:
                          model: {uri: 'https://models.example.com/m'}
                          serving: {resources: {memory: 64Mi}}
                        """, "memory must be at least 128Mi"),
                Arguments.of("batching delay of an hour", """
                        spec:
                          model: {uri: 'https://models.example.com/m'}
                          serving: {batching: {maxDelay: 3600s}}
                        """, "maxDelay must be at most 1s"),
                Arguments.of("candidate weights above 100", ROLLOUT_HEAD + """
                            strategy: ABTest
                            candidates:
                              - {name: b, model: {uri: 'https://m.example.com/b'}, weight: 60}
                              - {name: c, model: {uri: 'https://m.example.com/c'}, weight: 50}
                        """, "candidate weights must sum to at most 100"),
                Arguments.of("a weight above 100", ROLLOUT_HEAD + """
                            strategy: Canary
                            candidates: [{name: b, model: {uri: 'https://m.example.com/b'}, weight: 101}]
                        """, "weight"),
                Arguments.of("a canary with two candidates", ROLLOUT_HEAD + """
                            strategy: Canary
                            candidates:
                              - {name: b, model: {uri: 'https://m.example.com/b'}, weight: 5}
                              - {name: c, model: {uri: 'https://m.example.com/c'}, weight: 5}
                        """, "Canary and Shadow set by hand need exactly one candidate"),
                Arguments.of("a canary without a candidate", ROLLOUT_HEAD + "    strategy: Canary\n",
                        "Canary and Shadow set by hand need exactly one candidate"),
                Arguments.of("analysis without steps", ROLLOUT_HEAD + """
                            strategy: Canary
                            analysis: {interval: 30s}
                        """, "analysis and steps go together"),
                Arguments.of("analysis on Immediate", ROLLOUT_HEAD + """
                            strategy: Immediate
                            steps: [{weight: 10}]
                            analysis: {interval: 30s}
                        """, "Immediate has nothing to analyse"),
                Arguments.of("analysis with hand-set candidates", ROLLOUT_HEAD + """
                            strategy: Canary
                            candidates: [{name: b, model: {uri: 'https://m.example.com/b'}, weight: 10}]
                            steps: [{weight: 10}]
                            analysis: {interval: 30s}
                        """, "not candidates"),
                Arguments.of("a candidate alias without analysis", ROLLOUT_HEAD + """
                            strategy: Canary
                            candidateAlias: candidate
                            candidates: [{name: b, model: {uri: 'https://m.example.com/b'}, weight: 10}]
                        """, "candidateAlias starts analysed rollouts"),
                Arguments.of("a candidate alias equal to the champion's", ROLLOUT_HEAD + """
                            strategy: Canary
                            candidateAlias: champion
                            steps: [{weight: 10}]
                            analysis: {interval: 30s}
                        """, "candidateAlias needs spec.model.registry to follow another alias"),
                Arguments.of("an analysed A/B test of two steps", ROLLOUT_HEAD + """
                            strategy: ABTest
                            steps: [{weight: 10}, {weight: 50}]
                            analysis: {quality: {minimumEffect: 0.01}}
                        """, "take exactly one step"),
                Arguments.of("an analysed A/B test without quality", ROLLOUT_HEAD + """
                            strategy: ABTest
                            steps: [{weight: 50}]
                            analysis: {interval: 30s}
                        """, "decided by analysis.quality"),
                Arguments.of("a canary step of 0%", ROLLOUT_HEAD + """
                            strategy: Canary
                            steps: [{weight: 0, pause: 1m}]
                            analysis: {interval: 30s}
                        """, "at least 1% of users"),
                Arguments.of("a shadow step with users", ROLLOUT_HEAD + """
                            strategy: Shadow
                            shadowShare: 0.2
                            steps: [{weight: 10, pause: 1m}]
                            analysis: {interval: 30s}
                        """, "a Shadow step serves no users"),
                Arguments.of("a step pause that is no duration", ROLLOUT_HEAD + """
                            strategy: Canary
                            steps: [{weight: 10, pause: 'five minutes'}]
                            analysis: {interval: 30s}
                        """, "pause"),
                Arguments.of("a guardrail with metric and query", ROLLOUT_HEAD + """
                            strategy: Canary
                            steps: [{weight: 10}]
                            analysis: {guardrails: [{name: errors, metric: ErrorRate, query: 'up', max: 0.01}]}
                        """, "exactly one of metric (built in) or query"),
                Arguments.of("a guardrail without bounds", ROLLOUT_HEAD + """
                            strategy: Canary
                            steps: [{weight: 10}]
                            analysis: {guardrails: [{name: errors, metric: ErrorRate}]}
                        """, "a guardrail needs max, min or both"),
                Arguments.of("two guardrails of one name", ROLLOUT_HEAD + """
                            strategy: Canary
                            steps: [{weight: 10}]
                            analysis:
                              guardrails: [{name: e, metric: ErrorRate, max: 0.1}, {name: e, metric: LatencyP99, max: 1}]
                        """, "guardrail names must be unique"),
                Arguments.of("an unknown quality test", ROLLOUT_HEAD + """
                            strategy: ABTest
                            steps: [{weight: 50}]
                            analysis: {quality: {test: tTest}}
                        """, "test"),
                Arguments.of("both minimum effect and mixing variance", ROLLOUT_HEAD + """
                            strategy: ABTest
                            steps: [{weight: 50}]
                            analysis: {quality: {minimumEffect: 0.01, mixingVariance: 0.0001}}
                        """, "minimumEffect or mixingVariance, not both"),
                Arguments.of("Immediate with candidates", ROLLOUT_HEAD + """
                            strategy: Immediate
                            candidates: [{name: b, model: {uri: 'https://m.example.com/b'}}]
                        """, "Immediate takes no candidates"),
                Arguments.of("a shadow share out of range", ROLLOUT_HEAD + """
                            strategy: Shadow
                            shadowShare: 1.5
                            candidates: [{name: b, model: {uri: 'https://m.example.com/b'}}]
                        """, "shadowShare"),
                Arguments.of("a shadow without a share", ROLLOUT_HEAD + """
                            strategy: Shadow
                            candidates: [{name: b, model: {uri: 'https://m.example.com/b'}}]
                        """, "shadowShare is required with strategy Shadow"),
                Arguments.of("a shadow candidate with users", ROLLOUT_HEAD + """
                            strategy: Shadow
                            shadowShare: 0.1
                            candidates: [{name: b, model: {uri: 'https://m.example.com/b'}, weight: 10}]
                        """, "weight must be 0 or unset"),
                Arguments.of("a shadow share on a canary", ROLLOUT_HEAD + """
                            strategy: Canary
                            shadowShare: 0.1
                            candidates: [{name: b, model: {uri: 'https://m.example.com/b'}, weight: 10}]
                        """, "shadowShare is required with strategy Shadow, and only there"),
                Arguments.of("a candidate named champion", ROLLOUT_HEAD + """
                            strategy: Canary
                            candidates: [{name: champion, model: {uri: 'https://m.example.com/b'}, weight: 10}]
                        """, "a candidate cannot be named champion"),
                Arguments.of("two candidates of one name", ROLLOUT_HEAD + """
                            strategy: ABTest
                            candidates:
                              - {name: b, model: {uri: 'https://m.example.com/b'}, weight: 10}
                              - {name: b, model: {uri: 'https://m.example.com/c'}, weight: 10}
                        """, "candidate names must be unique"),
                Arguments.of("an unknown strategy", ROLLOUT_HEAD + "    strategy: BlueGreen\n", "strategy"),
                Arguments.of("a candidate with two sources", ROLLOUT_HEAD + """
                            strategy: Canary
                            candidates:
                              - name: b
                                model: {uri: 'https://m.example.com/b', registry: {name: m, version: '2'}}
                                weight: 10
                        """, "exactly one source"));
    }

    private static final String ROLLOUT_HEAD = """
            spec:
              model: {registry: {name: movies-sasrec, alias: champion}}
              rollout:
            """;

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

    @Test
    void rejectsNamesThatCannotNameAService() {
        for (String name : List.of("9lives", "a-very-long-model-name-that-would-overflow-the-service", "movies.v2")) {
            String message = refusal(HEAD.replace("name: movies", "name: " + name)
                    + "spec: {model: {uri: 'https://m.example.com/m'}}");
            assertThat(message).as(name).contains("metadata.name must be a DNS label");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidResources")
    void rejectsInvalidResource(String name, String body, String expectedInMessage) {
        assertThat(refusal(HEAD + body)).as(name).contains(expectedInMessage);
    }

    @Test
    void acceptsFullValidResource() {
        accept(HEAD + """
                spec:
                  model:
                    registry: {name: movies-sasrec, alias: champion, credentialsSecret: mlflow-creds}
                  serving:
                    autoscaling: {minReplicas: 2, maxReplicas: 6, targetCPUUtilizationPercentage: 60}
                    resources: {gpu: 1, cpu: "2", memory: 4Gi}
                    nodeSelector: {accelerator: nvidia-l4}
                    tolerations: [{key: dedicated, operator: Equal, value: ml, effect: NoSchedule},
                                  {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute,
                                   tolerationSeconds: 300}]
                    batching: {maxBatchSize: 64, maxDelay: 2ms}
                    topK: {default: 10, max: 200}
                """);
    }

    @Test
    void acceptsMinimalUriResourcesAndTheSmallestSensibleValues() {
        accept(HEAD + "spec: {model: {uri: 'pvc://models/movies/7'}}");
        accept(HEAD + "spec: {model: {uri: 'pvc://models/movies..v7/model.onnx.d'}}");
        accept(HEAD + """
                spec:
                  model: {uri: 'https://models.example.com/m'}
                  serving: {resources: {cpu: 100m, memory: 128Mi}, batching: {maxDelay: 1s}}
                """);
    }

    private static void accept(String yaml) {
        client.resource(parse(yaml)).dryRun().fieldValidation(Validation.STRICT).create();
    }

    /** The API server's answer to a create that must be refused. */
    private static String refusal(String yaml) {
        try {
            client.resource(parse(yaml)).dryRun().fieldValidation(Validation.STRICT).create();
        } catch (KubernetesClientException e) {
            // 422 for schema and CEL violations, 400 for unknown fields under strict validation.
            assertThat(e.getCode()).as("HTTP status of the refusal: %s", e.getMessage()).isIn(400, 422);
            return e.getMessage();
        }
        throw new AssertionError("the API server accepted:\n" + yaml);
    }

    private static GenericKubernetesResource parse(String yaml) {
        GenericKubernetesResource r = client.getKubernetesSerialization().unmarshal(yaml,
                GenericKubernetesResource.class);
        r.getMetadata().setNamespace(NS);
        return r;
    }

    private static boolean established(String name) {
        CustomResourceDefinition served = client.apiextensions().v1().customResourceDefinitions().withName(name).get();
        return served != null && served.getStatus() != null && served.getStatus().getConditions() != null
                && served.getStatus().getConditions().stream()
                        .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
    }
}
