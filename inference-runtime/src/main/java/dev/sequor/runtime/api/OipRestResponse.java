package dev.sequor.runtime.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An Open Inference Protocol REST infer response: plain JSON, or (binary tensor data extension) a
 * JSON header followed by the raw little-endian bytes of the outputs the request asked for in binary.
 */
record OipRestResponse(byte[] body, Integer headerLength) {

    /** One [rows, cols] output tensor: FP32 {@code floats} or INT64 {@code longs}. */
    record Output(String name, int rows, int cols, float[] floats, long[] longs) {

        static Output fp32(String name, int rows, int cols, float[] data) {
            return new Output(name, rows, cols, data, null);
        }

        static Output int64(String name, int rows, int cols, long[] data) {
            return new Output(name, rows, cols, null, data);
        }

        String datatype() {
            return floats != null ? "FP32" : "INT64";
        }

        Object data() {
            return floats != null ? floats : longs;
        }

        byte[] bytes() {
            ByteBuffer b = ByteBuffer.allocate(floats != null ? floats.length * Float.BYTES : longs.length * Long.BYTES)
                    .order(ByteOrder.LITTLE_ENDIAN);
            if (floats != null) {
                b.asFloatBuffer().put(floats);
            } else {
                b.asLongBuffer().put(longs);
            }
            return b.array();
        }
    }

    /** {@code head} holds the response's other fields (model_name, model_version, id, parameters), in order. */
    static OipRestResponse write(Map<String, Object> head, List<Output> outputs, OipRestRequest request,
            ObjectMapper json) {
        Map<String, Object> body = new LinkedHashMap<>(head);
        List<Map<String, Object>> written = new ArrayList<>();
        List<byte[]> binary = new ArrayList<>();
        for (Output o : outputs) {
            if (!request.wants(o.name())) {
                continue;
            }
            Map<String, Object> tensor = new LinkedHashMap<>();
            tensor.put("name", o.name());
            tensor.put("datatype", o.datatype());
            tensor.put("shape", List.of(o.rows(), o.cols()));
            if (request.binary(o.name())) {
                byte[] bytes = o.bytes();
                tensor.put("parameters", Map.of("binary_data_size", bytes.length));
                binary.add(bytes);
            } else {
                tensor.put("data", o.data());
            }
            written.add(tensor);
        }
        body.put("outputs", written);
        byte[] header = bytes(body, json);
        if (binary.isEmpty()) {
            return new OipRestResponse(header, null);
        }
        int size = header.length + binary.stream().mapToInt(b -> b.length).sum();
        ByteBuffer all = ByteBuffer.allocate(size).put(header);
        binary.forEach(all::put);
        return new OipRestResponse(all.array(), header.length);
    }

    private static byte[] bytes(Object value, ObjectMapper json) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
