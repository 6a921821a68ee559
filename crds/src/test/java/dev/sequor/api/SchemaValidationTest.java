package dev.sequor.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed CRD installed in a real API server: bad resources are refused with a message a
 * person can act on (OpenAPI and CEL evaluated by Kubernetes itself), good ones accepted.
 * Server-side dry run with strict field validation, as kubectl sends it: nothing is stored.
 */
class SchemaValidationTest extends ApiServerSchema {

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
                        """, "maxDelay must be at most 1s"));
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
}
