package dev.sequor.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sequor.runtime.inference.InferenceException;
import dev.sequor.runtime.inference.OipSignature;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An INT64 input tensor of an Open Inference Protocol REST request, checked for shape and type:
 * its values from the JSON {@code data}, or from raw little-endian bytes (the binary tensor data extension).
 */
record V2Tensor(String name, long[] shape, long[] data) {

    /** {@code binary} is the input's raw bytes when it declared a {@code binary_data_size}, else null. */
    static V2Tensor of(JsonNode input, ByteBuffer binary, int rank) {
        String name = input.path("name").asText();
        String type = input.path("datatype").asText();
        if (!OipSignature.INT64.equals(type)) {
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
        if (expected > Integer.MAX_VALUE / 8) {
            throw InferenceException.invalid("input '" + name + "' is too large: shape " + Arrays.toString(shape));
        }
        long[] data = new long[(int) expected];
        if (binary != null) {
            if (binary.remaining() != expected * Long.BYTES) {
                throw InferenceException.invalid("input '" + name + "' has shape " + Arrays.toString(shape) + " but "
                        + binary.remaining() + " bytes of binary data (INT64: " + expected * Long.BYTES + " expected)");
            }
            binary.slice().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(data);
            return new V2Tensor(name, shape, data);
        }
        int filled = flatten(input.path("data"), data, 0, name, shape);
        if (filled != expected) {
            throw InferenceException.invalid("input '" + name + "' has shape " + Arrays.toString(shape) + " but "
                    + filled + " values");
        }
        return new V2Tensor(name, shape, data);
    }

    private static int flatten(JsonNode node, long[] out, int at, String name, long[] shape) {
        if (node.isArray()) {
            int next = at;
            for (JsonNode n : node) {
                next = flatten(n, out, next, name, shape);
            }
            return next;
        }
        if (!node.isIntegralNumber()) {
            throw InferenceException.invalid("input '" + name + "' data must be integers, got " + node);
        }
        if (at >= out.length) {
            throw InferenceException.invalid("input '" + name + "' has shape " + Arrays.toString(shape)
                    + " but more values");
        }
        out[at] = node.asLong();
        return at + 1;
    }
}
