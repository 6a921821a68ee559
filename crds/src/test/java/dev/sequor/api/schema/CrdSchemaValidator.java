package dev.sequor.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Validates a resource against a CRD's structural schema the way the API server does on create:
 * OpenAPI types and constraints, unknown fields rejected (kubectl's default strict field
 * validation), and the {@code x-kubernetes-validations} CEL rules.
 */
public final class CrdSchemaValidator {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final JsonNode openApiSchema;
    private final JsonSchema jsonSchema;
    private final CelRules celRules = new CelRules();

    private CrdSchemaValidator(JsonNode openApiSchema) {
        this.openApiSchema = openApiSchema;
        JsonNode strict = strict(openApiSchema.deepCopy());
        this.jsonSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(strict);
    }

    public static CrdSchemaValidator forCrd(Path crdYaml) {
        try {
            JsonNode crd = YAML.readTree(crdYaml.toFile());
            return new CrdSchemaValidator(crd.at("/spec/versions/0/schema/openAPIV3Schema"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode readYaml(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every problem found, as the API server would word the field path; empty when valid. */
    public List<String> validate(JsonNode resource) {
        ObjectNode body = resource.deepCopy();
        body.remove(List.of("apiVersion", "kind", "metadata"));
        List<String> errors = new ArrayList<>();
        for (ValidationMessage m : jsonSchema.validate(body)) {
            errors.add(m.getMessage());
        }
        if (errors.isEmpty()) {
            // Root rules see metadata.name and metadata.generateName, as in the API server.
            ObjectNode withName = body.deepCopy();
            ObjectNode metadata = withName.putObject("metadata");
            for (String field : List.of("name", "generateName")) {
                if (resource.path("metadata").has(field)) {
                    metadata.set(field, resource.path("metadata").get(field));
                }
            }
            celRules.check(openApiSchema, withName, "", errors);
        }
        return errors;
    }

    /** Marks every object schema that lists its properties as closed, like strict field validation. */
    private static JsonNode strict(JsonNode schema) {
        if (schema instanceof ObjectNode node) {
            node.remove("x-kubernetes-validations");
            if (node.has("properties") && !node.path("x-kubernetes-preserve-unknown-fields").asBoolean()
                    && !node.has("additionalProperties")) {
                node.put("additionalProperties", false);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                strict(it.next().getValue());
            }
        } else if (schema != null && schema.isArray()) {
            schema.forEach(CrdSchemaValidator::strict);
        }
        return schema;
    }
}
