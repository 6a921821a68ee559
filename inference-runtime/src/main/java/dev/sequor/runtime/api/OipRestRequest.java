package dev.sequor.runtime.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequor.runtime.inference.InferenceException;
import dev.sequor.runtime.inference.OipSignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An Open Inference Protocol REST infer request: a JSON header and, with the binary tensor data
 * extension (what tritonclient sends by default), the inputs' raw bytes after it, in input order,
 * each input saying its size in {@code parameters.binary_data_size}.
 */
public final class OipRestRequest {

    private final JsonNode header;
    private final Map<String, ByteBuffer> binaryInputs;

    private OipRestRequest(JsonNode header, Map<String, ByteBuffer> binaryInputs) {
        this.header = header;
        this.binaryInputs = binaryInputs;
    }

    static OipRestRequest parse(byte[] body, String headerLength, ObjectMapper json) {
        int jsonLength = jsonLength(body, headerLength);
        JsonNode header = readHeader(body, jsonLength, json);
        if (header == null || !header.path("inputs").isArray()) {
            throw InferenceException.invalid("body must be {\"inputs\": [...]}");
        }
        Map<String, ByteBuffer> binary = new HashMap<>();
        int offset = jsonLength;
        for (JsonNode input : header.path("inputs")) {
            JsonNode parameters = input.path("parameters");
            if (parameters.has("shared_memory_region")) {
                throw InferenceException.invalid("input '" + input.path("name").asText()
                        + "': shared memory is not supported; send the data in the request");
            }
            JsonNode size = parameters.path("binary_data_size");
            if (size.isMissingNode()) {
                continue;
            }
            if (!size.canConvertToInt() || size.asInt() < 0 || size.asLong() > body.length - offset) {
                throw InferenceException.invalid("input '" + input.path("name").asText() + "' has binary_data_size "
                        + size + " but " + (body.length - offset) + " bytes of binary data remain");
            }
            binary.put(input.path("name").asText(), ByteBuffer.wrap(body, offset, size.asInt()));
            offset += size.asInt();
        }
        if (offset != body.length) {
            throw InferenceException.invalid((body.length - offset) + " bytes after the inputs' binary data belong to"
                    + " no input (binary_data_size and " + OipSignature.HEADER_LENGTH + " disagree with the body)");
        }
        return new OipRestRequest(header, binary);
    }

    /** The JSON header's length: the whole body unless the client said otherwise. */
    private static int jsonLength(byte[] body, String headerLength) {
        if (headerLength == null) {
            return body.length;
        }
        try {
            int length = Integer.parseInt(headerLength.trim());
            if (length < 0 || length > body.length) {
                throw InferenceException.invalid(OipSignature.HEADER_LENGTH + " is " + length + " but the body has " + body.length
                        + " bytes");
            }
            return length;
        } catch (NumberFormatException e) {
            throw InferenceException.invalid(OipSignature.HEADER_LENGTH + " must be a number of bytes, got '" + headerLength + "'");
        }
    }

    /** The JSON header (the whole body without {@code headerLength}), or null for an empty one. */
    public static JsonNode readHeader(byte[] body, String headerLength, ObjectMapper json) {
        return readHeader(body, jsonLength(body, headerLength), json);
    }

    private static JsonNode readHeader(byte[] body, int jsonLength, ObjectMapper json) {
        if (jsonLength == 0) {
            return null;
        }
        try {
            return json.readTree(body, 0, jsonLength);
        } catch (JsonProcessingException e) {
            throw InferenceException.invalid("the request's JSON is malformed: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode header() {
        return header;
    }

    /** The named input, or empty when the request leaves it out. */
    Optional<V2Tensor> input(String name, int rank) {
        for (JsonNode input : header.path("inputs")) {
            if (name.equals(input.path("name").asText())) {
                return Optional.of(V2Tensor.of(input, binaryInputs.get(name), rank));
            }
        }
        return Optional.empty();
    }

    /** Refuses a request for an output the model does not have. */
    void checkOutputs(List<String> known) {
        for (JsonNode o : header.path("outputs")) {
            if (!known.contains(o.path("name").asText())) {
                throw InferenceException.invalid("no output named '" + o.path("name").asText() + "' (outputs: "
                        + String.join(", ", known) + ")");
            }
        }
    }

    /** Whether the response carries this output: every output unless the request names some. */
    boolean wants(String output) {
        JsonNode outputs = header.path("outputs");
        if (!outputs.isArray() || outputs.isEmpty()) {
            return true;
        }
        for (JsonNode o : outputs) {
            if (output.equals(o.path("name").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Whether the output goes as raw bytes: its own {@code binary_data}, else the request's {@code binary_data_output}. */
    boolean binary(String output) {
        for (JsonNode o : header.path("outputs")) {
            if (output.equals(o.path("name").asText()) && o.path("parameters").has("binary_data")) {
                return o.path("parameters").path("binary_data").asBoolean(false);
            }
        }
        return header.path("parameters").path("binary_data_output").asBoolean(false);
    }
}
