package dev.sequor.trainer.export;

import dev.sequor.trainer.onnx.proto.OnnxProto.AttributeProto;
import dev.sequor.trainer.onnx.proto.OnnxProto.GraphProto;
import dev.sequor.trainer.onnx.proto.OnnxProto.ModelProto;
import dev.sequor.trainer.onnx.proto.OnnxProto.NodeProto;
import dev.sequor.trainer.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.sequor.trainer.onnx.proto.OnnxProto.TensorProto;
import dev.sequor.trainer.onnx.proto.OnnxProto.TensorShapeProto;
import dev.sequor.trainer.onnx.proto.OnnxProto.TypeProto;
import dev.sequor.trainer.onnx.proto.OnnxProto.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A small typed front end over ONNX's protobuf messages: initializers, nodes, inputs, outputs. */
final class OnnxGraphBuilder {

    static final int OPSET = 17;

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final java.util.Set<String> initializers = new java.util.HashSet<>();
    private int counter;

    OnnxGraphBuilder(String name) {
        graph.setName(name);
    }

    /** A float tensor stored in the model, little-endian raw data. */
    boolean hasInitializer(String name) {
        return initializers.contains(name);
    }

    String floats(String name, float[] values, long... dims) {
        initializers.add(name);
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addAllDims(java.util.Arrays.stream(dims).boxed().toList())
                .setRawData(com.google.protobuf.ByteString.copyFrom(buffer.array())));
        return name;
    }

    /** An int64 tensor stored in the model; a second call with the same name reuses the first. */
    String longs(String name, long[] values, long... dims) {
        if (!initializers.add(name)) {
            return name;
        }
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                .addAllDims(java.util.Arrays.stream(dims).boxed().toList());
        for (long v : values) {
            t.addInt64Data(v);
        }
        graph.addInitializer(t);
        return name;
    }

    /** A float64 scalar (shape []). */
    String doubleScalar(String name, double value) {
        if (!initializers.add(name)) {
            return name;
        }
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.DOUBLE_VALUE)
                .addDoubleData(value));
        return name;
    }

    String scalar(String name, float value) {
        return floats(name, new float[] {value});
    }

    /** Adds a node with one output and returns the output's name. */
    String node(String op, String hint, String... inputs) {
        return node(op, hint, new AttributeProto[0], inputs);
    }

    String node(String op, String hint, AttributeProto[] attributes, String... inputs) {
        String output = hint + "_" + (counter++);
        nodeWithOutputs(op, attributes, inputs, output);
        return output;
    }

    void nodeWithOutputs(String op, AttributeProto[] attributes, String[] inputs, String... outputs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(op + "_" + (counter++));
        for (String in : inputs) {
            n.addInput(in);
        }
        for (String out : outputs) {
            n.addOutput(out);
        }
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
    }

    /** A graph input or output; a String dimension is symbolic (dynamic), a Long fixed. */
    void input(String name, TensorProto.DataType type, Object... dims) {
        graph.addInput(valueInfo(name, type, dims));
    }

    void output(String name, TensorProto.DataType type, Object... dims) {
        graph.addOutput(valueInfo(name, type, dims));
    }

    static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto floatAttribute(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value)
                .build();
    }

    static AttributeProto intsAttribute(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    ModelProto build(String producerVersion, String docString) {
        return ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName("sequor-trainer")
                .setProducerVersion(producerVersion)
                .setDocString(docString)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build();
    }

    private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String symbol) {
                dim.setDimParam(symbol);
            } else {
                dim.setDimValue(((Number) d).longValue());
            }
            shape.addDim(dim);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
    }
}
