package dev.sequor.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.sequor.runtime.grpc.v2.GRPCInferenceServiceGrpc;
import dev.sequor.runtime.grpc.v2.InferTensorContents;
import dev.sequor.runtime.grpc.v2.ModelInferRequest;
import dev.sequor.runtime.grpc.v2.ModelInferResponse;
import dev.sequor.runtime.grpc.v2.ModelMetadataRequest;
import dev.sequor.runtime.grpc.v2.ModelReadyRequest;
import dev.sequor.runtime.grpc.v2.ServerLiveRequest;
import dev.sequor.runtime.grpc.v2.ServerMetadataRequest;
import dev.sequor.runtime.grpc.v2.ServerReadyRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** inference.GRPCInferenceService with a stock gRPC client generated from KServe's proto. */
@QuarkusTest
@QuarkusTestResource(value = TrainedModels.class, restrictToAnnotatedClass = false)
class GrpcInferenceTest {

    @BeforeEach
    void modelLoaded() {
        TrainedModels.awaitReady();
    }

    @GrpcClient("inference")
    GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub client;

    @Test
    void healthAndMetadata() {
        assertThat(client.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        assertThat(client.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
        assertThat(client.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName())
                .isEqualTo("sequor-inference-runtime");
        assertThat(client.modelReady(ModelReadyRequest.newBuilder().setName("synthetic").build()).getReady()).isTrue();
        var meta = client.modelMetadata(ModelMetadataRequest.newBuilder().setName("synthetic").build());
        assertThat(meta.getInputsList()).extracting("name").containsExactly("history", "exclude", "k");
        assertThat(meta.getInputs(0).getShapeList()).containsExactly(-1L, 12L);
        assertThatThrownBy(() -> client.modelMetadata(ModelMetadataRequest.newBuilder().setName("nope").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void inferWithTypedAndRawContentsAgrees() {
        long[] history = {0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 17, 42};
        ModelInferRequest typed = ModelInferRequest.newBuilder().setModelName("synthetic").setId("g1")
                .addInputs(input("history", List.of(1L, 12L), history))
                .addInputs(input("exclude", List.of(1L, 3L), new long[] {3, 17, 42}))
                .addInputs(input("k", List.of(1L), new long[] {5}))
                .build();
        ModelInferResponse a = client.modelInfer(typed);
        assertThat(a.getId()).isEqualTo("g1");
        assertThat(a.getOutputs(1).getShapeList()).containsExactly(1L, 5L);
        long[] items = longs(a.getRawOutputContents(1));
        assertThat(items).hasSize(5).doesNotContain(0, 3, 17, 42);

        ModelInferRequest.Builder raw = ModelInferRequest.newBuilder().setModelName("synthetic");
        for (ModelInferRequest.InferInputTensor t : typed.getInputsList()) {
            raw.addInputs(t.toBuilder().clearContents());
            raw.addRawInputContents(bytes(t.getContents().getInt64ContentsList()));
        }
        ModelInferResponse b = client.modelInfer(raw.build());
        assertThat(longs(b.getRawOutputContents(1))).containsExactly(items);
    }

    @Test
    void badTensorsAreInvalidArgument() {
        ModelInferRequest wrongShape = ModelInferRequest.newBuilder().setModelName("synthetic")
                .addInputs(input("history", List.of(1L, 3L), new long[] {1, 2, 3}))
                .addInputs(input("exclude", List.of(1L, 1L), new long[] {0}))
                .addInputs(input("k", List.of(1L), new long[] {5}))
                .build();
        assertThatThrownBy(() -> client.modelInfer(wrongShape)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains("shape [batch, 12]");
        });
    }

    private static ModelInferRequest.InferInputTensor input(String name, List<Long> shape, long[] data) {
        InferTensorContents.Builder c = InferTensorContents.newBuilder();
        for (long v : data) {
            c.addInt64Contents(v);
        }
        return ModelInferRequest.InferInputTensor.newBuilder().setName(name).setDatatype("INT64").addAllShape(shape)
                .setContents(c).build();
    }

    private static ByteString bytes(List<Long> values) {
        ByteBuffer b = ByteBuffer.allocate(values.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        values.forEach(b::putLong);
        return ByteString.copyFrom(b.array());
    }

    private static long[] longs(ByteString raw) {
        ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[b.remaining() / 8];
        b.asLongBuffer().get(out);
        return out;
    }
}
