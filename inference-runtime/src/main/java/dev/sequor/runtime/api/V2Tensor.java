package dev.sequor.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sequor.runtime.inference.InferenceException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** An INT64 input tensor of an Open Inference Protocol request, checked for shape and type. */
record V2Tensor(String name, long[] shape, long[] data) {

    static V2Tensor find(JsonNode body, String name, int rank) {
        for (JsonNode input : body.path("inputs")) {
            if (!name.equals(input.path("name").asText())) {
                continue;
            }
            String type = input.path("datatype").asText();
            if (!"INT64".equals(type)) {
                throw InferenceException.invalid("input '" + name + "' must have datatype INT64, got '" + type + "'");
            }
            JsonNode shapeNode = input.path("shape");
            if (!shapeNode.isArray() || shapeNode.size() != rank) {
                throw InferenceException.invalid("input '" + name + "' must have a shape of rank " + rank + ", got "
                        + shapeNode);
            }
            long[] shape = new long[rank];
            long expected = 1;
            for (int i = 0; i < rank; i++) {
                if (!shapeNode.get(i).canConvertToLong() || shapeNode.get(i).asLong() < 1) {
                    throw InferenceException.invalid("input '" + name + "' has an invalid shape " + shapeNode);
                }
                shape[i] = shapeNode.get(i).asLong();
                expected *= shape[i];
            }
            List<Long> values = new ArrayList<>();
            flatten(input.path("data"), values, name);
            if (values.size() != expected) {
                throw InferenceException.invalid("input '" + name + "' has shape " + Arrays.toString(shape) + " but "
                        + values.size() + " values");
            }
            return new V2Tensor(name, shape, values.stream().mapToLong(Long::longValue).toArray());
        }
        throw InferenceException.invalid("missing input '" + name + "' (inputs: history, exclude, k)");
    }

    String shapeText() {
        return Arrays.toString(shape);
    }

    private static void flatten(JsonNode node, List<Long> out, String name) {
        if (node.isArray()) {
            for (JsonNode n : node) {
                flatten(n, out, name);
            }
        } else if (node.isIntegralNumber()) {
            out.add(node.asLong());
        } else {
            throw InferenceException.invalid("input '" + name + "' data must be integers, got " + node);
        }
    }
}
