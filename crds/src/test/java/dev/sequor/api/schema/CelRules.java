package dev.sequor.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Evaluates a schema's {@code x-kubernetes-validations} rules with the CEL reference implementation. */
final class CelRules {

    private final CelCompiler compiler = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .setResultType(SimpleType.BOOL)
            .build();
    private final CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    void check(JsonNode schema, JsonNode value, String path, List<String> errors) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return;
        }
        for (JsonNode rule : schema.path("x-kubernetes-validations")) {
            if (!holds(rule.path("rule").asText(), toCel(value))) {
                errors.add(path + ": Invalid value: " + rule.path("message").asText(rule.path("rule").asText()));
            }
        }
        if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> property = it.next();
                check(property.getValue(), value.get(property.getKey()), path + "." + property.getKey(), errors);
            }
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.path("items"), value.get(i), path + "[" + i + "]", errors);
            }
        }
    }

    private boolean holds(String rule, Object self) {
        try {
            CelAbstractSyntaxTree ast = compiler.compile(rule).getAst();
            return Boolean.TRUE.equals(runtime.createProgram(ast).eval(Map.of("self", self)));
        } catch (CelValidationException e) {
            throw new IllegalStateException("CEL rule does not compile: " + rule, e);
        } catch (CelEvaluationException e) {
            throw new IllegalStateException("CEL rule failed to evaluate: " + rule, e);
        }
    }

    private static Object toCel(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), toCel(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(n -> list.add(toCel(n)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.asText();
    }
}
