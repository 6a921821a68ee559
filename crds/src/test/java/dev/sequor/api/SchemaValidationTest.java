package dev.sequor.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sequor.api.schema.CrdSchemaValidator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad resources are rejected by the committed CRD's schema with a message a person can act on. */
class SchemaValidationTest {

    private static final CrdSchemaValidator VALIDATOR = CrdSchemaValidator.forCrd(CrdGeneration.committedCrd());

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
                        """, "operator Exists must not set a value"));
    }

    @Test
    void rejectsNamesThatCannotNameAService() {
        for (String name : List.of("9lives", "a-very-long-model-name-that-would-overflow-the-service", "movies.v2")) {
            List<String> errors = VALIDATOR.validate(CrdSchemaValidator.readYaml(
                    HEAD.replace("name: movies", "name: " + name) + "spec: {model: {uri: 'https://m.example.com/m'}}"));
            assertThat(String.join("\n", errors)).as(name).contains("metadata.name must be a DNS label");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidResources")
    void rejectsInvalidResource(String name, String body, String expectedInMessage) {
        List<String> errors = VALIDATOR.validate(CrdSchemaValidator.readYaml(HEAD + body));
        assertThat(errors).as(name).isNotEmpty();
        assertThat(String.join("\n", errors)).as(name).contains(expectedInMessage);
    }

    @Test
    void acceptsFullValidResource() {
        JsonNode resource = CrdSchemaValidator.readYaml(HEAD + """
                spec:
                  model:
                    registry: {name: movies-sasrec, alias: champion, credentialsSecret: mlflow-creds}
                  serving:
                    autoscaling: {minReplicas: 2, maxReplicas: 6, targetCPUUtilizationPercentage: 60}
                    resources: {gpu: 1, cpu: "2", memory: 4Gi}
                    nodeSelector: {accelerator: nvidia-l4}
                    tolerations: [{key: dedicated, operator: Equal, value: ml, effect: NoSchedule}]
                    batching: {maxBatchSize: 64, maxDelay: 2ms}
                    topK: {default: 10, max: 200}
                """);
        assertThat(VALIDATOR.validate(resource)).isEmpty();
    }

    @Test
    void acceptsMinimalUriResource() {
        JsonNode resource = CrdSchemaValidator.readYaml(HEAD + "spec: {model: {uri: 'pvc://models/movies/7'}}");
        assertThat(VALIDATOR.validate(resource)).isEmpty();
    }
}
