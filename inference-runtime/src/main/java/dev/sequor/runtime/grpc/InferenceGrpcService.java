package dev.sequor.runtime.grpc;

import com.google.protobuf.ByteString;
import dev.sequor.runtime.config.RuntimeConfig;
import dev.sequor.runtime.grpc.v2.GRPCInferenceServiceGrpc;
import dev.sequor.runtime.grpc.v2.InferTensorContents;
import dev.sequor.runtime.grpc.v2.ModelInferRequest;
import dev.sequor.runtime.grpc.v2.ModelInferResponse;
import dev.sequor.runtime.grpc.v2.ModelMetadataRequest;
import dev.sequor.runtime.grpc.v2.ModelMetadataResponse;
import dev.sequor.runtime.grpc.v2.ModelReadyRequest;
import dev.sequor.runtime.grpc.v2.ModelReadyResponse;
import dev.sequor.runtime.grpc.v2.ServerLiveRequest;
import dev.sequor.runtime.grpc.v2.ServerLiveResponse;
import dev.sequor.runtime.grpc.v2.ServerMetadataRequest;
import dev.sequor.runtime.grpc.v2.ServerMetadataResponse;
import dev.sequor.runtime.grpc.v2.ServerReadyRequest;
import dev.sequor.runtime.grpc.v2.ServerReadyResponse;
import dev.sequor.runtime.inference.DynamicBatcher;
import dev.sequor.runtime.inference.InferenceException;
import dev.sequor.runtime.inference.LoadedModel;
import dev.sequor.runtime.inference.ModelService;
import dev.sequor.runtime.inference.TensorInference;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Open Inference Protocol over gRPC ({@code inference.GRPCInferenceService}). Inputs are read
 * from typed contents or raw_input_contents; outputs are written as raw_output_contents
 * (little-endian), which every standard client reads.
 */
@GrpcService
@Blocking
public class InferenceGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

    private final ModelService models;
    private final TensorInference inference;
    private final RuntimeConfig config;

    public InferenceGrpcService(ModelService models, TensorInference inference, RuntimeConfig config) {
        this.models = models;
        this.inference = inference;
        this.config = config;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> response) {
        answer(response, () -> ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> response) {
        answer(response, () -> ServerReadyResponse.newBuilder().setReady(models.state().model() != null).build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> response) {
        answer(response, () -> {
            try {
                inference.require(request.getName(), request.getVersion());
                return ModelReadyResponse.newBuilder().setReady(true).build();
            } catch (InferenceException e) {
                if (e.kind() == InferenceException.Kind.NOT_READY) {
                    return ModelReadyResponse.newBuilder().setReady(false).build();
                }
                throw e;
            }
        });
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> response) {
        answer(response, () -> ServerMetadataResponse.newBuilder().setName("sequor-inference-runtime")
                .setVersion("0.1.0").build());
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> response) {
        answer(response, () -> {
            LoadedModel m = inference.require(request.getName(), request.getVersion());
            return ModelMetadataResponse.newBuilder().setName(config.model().name()).addVersions(m.version())
                    .setPlatform("onnxruntime_onnx")
                    .addInputs(tensor("history", "INT64", -1, m.pkg().maxLength()))
                    .addInputs(tensor("exclude", "INT64", -1, -1))
                    .addInputs(tensor("k", "INT64", 1))
                    .addOutputs(tensor("scores", "FP32", -1, -1))
                    .addOutputs(tensor("items", "INT64", -1, -1))
                    .build();
        });
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> response) {
        answer(response, () -> {
            LoadedModel m = inference.require(request.getModelName(), request.getModelVersion());
            Tensor history = input(request, "history");
            Tensor exclude = input(request, "exclude");
            Tensor k = input(request, "k");
            TensorInference.Outputs out = inference.infer(m, new TensorInference.Inputs(history.data(), history.shape(),
                    exclude.data(), exclude.shape(), k.data(), k.shape()));
            ByteBuffer scores = ByteBuffer.allocate(out.scores().length * 4).order(ByteOrder.LITTLE_ENDIAN);
            scores.asFloatBuffer().put(out.scores());
            ByteBuffer items = ByteBuffer.allocate(out.items().length * 8).order(ByteOrder.LITTLE_ENDIAN);
            items.asLongBuffer().put(out.items());
            return ModelInferResponse.newBuilder().setModelName(config.model().name()).setModelVersion(out.version())
                    .setId(request.getId())
                    .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName("scores").setDatatype("FP32")
                            .addShape(out.rows()).addShape(out.k()))
                    .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName("items").setDatatype("INT64")
                            .addShape(out.rows()).addShape(out.k()))
                    .addRawOutputContents(ByteString.copyFrom(scores.array()))
                    .addRawOutputContents(ByteString.copyFrom(items.array()))
                    .build();
        });
    }

    private record Tensor(long[] shape, long[] data) {
    }

    private static Tensor input(ModelInferRequest request, String name) {
        List<ModelInferRequest.InferInputTensor> inputs = request.getInputsList();
        for (int i = 0; i < inputs.size(); i++) {
            ModelInferRequest.InferInputTensor t = inputs.get(i);
            if (!t.getName().equals(name)) {
                continue;
            }
            if (!t.getDatatype().equals("INT64")) {
                throw InferenceException.invalid("input '" + name + "' must have datatype INT64, got '" + t.getDatatype() + "'");
            }
            long[] shape = t.getShapeList().stream().mapToLong(Long::longValue).toArray();
            long[] data;
            if (request.getRawInputContentsCount() > 0) {
                if (request.getRawInputContentsCount() != inputs.size()) {
                    throw InferenceException.invalid("raw_input_contents must have one entry per input");
                }
                ByteBuffer raw = request.getRawInputContents(i).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                if (raw.remaining() % 8 != 0) {
                    throw InferenceException.invalid("raw contents of '" + name + "' are not a whole number of INT64s");
                }
                data = new long[raw.remaining() / 8];
                raw.asLongBuffer().get(data);
            } else {
                InferTensorContents c = t.getContents();
                data = c.getInt64ContentsList().stream().mapToLong(Long::longValue).toArray();
            }
            return new Tensor(shape, data);
        }
        throw InferenceException.invalid("missing input '" + name + "' (inputs: history, exclude, k)");
    }

    private static ModelMetadataResponse.TensorMetadata tensor(String name, String type, long... shape) {
        ModelMetadataResponse.TensorMetadata.Builder t = ModelMetadataResponse.TensorMetadata.newBuilder()
                .setName(name).setDatatype(type);
        for (long d : shape) {
            t.addShape(d);
        }
        return t.build();
    }

    private static <T> void answer(StreamObserver<T> observer, Supplier<T> call) {
        try {
            observer.onNext(call.get());
            observer.onCompleted();
        } catch (InferenceException e) {
            Status status = switch (e.kind()) {
                case INVALID_REQUEST -> Status.INVALID_ARGUMENT;
                case UNSERVABLE -> Status.INVALID_ARGUMENT;
                case NOT_FOUND -> Status.NOT_FOUND;
                case NOT_READY -> Status.UNAVAILABLE;
                case DISABLED -> Status.PERMISSION_DENIED;
            };
            observer.onError(status.withDescription(e.getMessage()).asRuntimeException());
        } catch (DynamicBatcher.Rejected | DynamicBatcher.Expired e) {
            observer.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
        }
    }
}
