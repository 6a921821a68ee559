package dev.sequor.runtime.grpc;

import com.google.protobuf.ByteString;
import dev.sequor.contract.RuntimeContract;
import dev.sequor.modelpackage.OnnxSignature;
import dev.sequor.runtime.config.RuntimeConfig;
import dev.sequor.runtime.grpc.v2.GRPCInferenceServiceGrpc;
import dev.sequor.runtime.grpc.v2.InferParameter;
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
import dev.sequor.runtime.inference.OipSignature;
import dev.sequor.runtime.inference.ModelService;
import dev.sequor.runtime.inference.TensorInference;
import dev.sequor.runtime.routing.Api;
import dev.sequor.runtime.routing.EntryMetrics;
import dev.sequor.runtime.routing.NoBackendException;
import dev.sequor.runtime.routing.Router;
import dev.sequor.runtime.routing.RouterHealth;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
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
    private final GrpcRouting routing;
    private final RouterHealth routerHealth;
    private final EntryMetrics metrics;

    public InferenceGrpcService(ModelService models, TensorInference inference, RuntimeConfig config, GrpcRouting routing,
            RouterHealth routerHealth, EntryMetrics metrics) {
        this.models = models;
        this.inference = inference;
        this.config = config;
        this.routing = routing;
        this.routerHealth = routerHealth;
        this.metrics = metrics;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> response) {
        answer(response, () -> ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> response) {
        answer(response, () -> ServerReadyResponse.newBuilder().setReady(ready()).build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> response) {
        answer(response, () -> {
            if (config.router()) {
                return ModelReadyResponse.newBuilder().setReady(request.getName().equals(config.model().name()) && ready())
                        .build();
            }
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
            if (config.router()) {
                return routing.metadata(request);
            }
            LoadedModel m = inference.require(request.getName(), request.getVersion());
            ModelMetadataResponse.Builder metadata = ModelMetadataResponse.newBuilder().setName(config.model().name())
                    .addVersions(m.version()).setPlatform("onnxruntime_onnx");
            inference.inputs(m).forEach(t -> metadata.addInputs(tensor(t)));
            OipSignature.outputs().forEach(t -> metadata.addOutputs(tensor(t)));
            return metadata.build();
        });
    }

    /** On the event loop: nothing here blocks, and the answer comes back on the same event loop. */
    @Override
    @NonBlocking
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> response) {
        AtomicReference<RoutingMetadata.AnsweredBy> answeredBy = RoutingMetadata.ANSWERED_BY.get();
        if (config.router()) {
            route(request, response, answeredBy);
            return;
        }
        String routedAs = RoutingMetadata.ROUTED_AS.get();
        String variant = routedAs != null ? routedAs : config.variant();
        long start = System.nanoTime();
        CompletableFuture<ModelInferResponse> answer;
        try {
            answer = infer(request, variant);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        CompletionStage<ModelInferResponse> counted = routedAs == null
                ? metrics.countDirect(Api.OIP_GRPC, answer, start, ModelInferResponse::getModelVersion, variant) : answer;
        counted.whenComplete((r, error) -> {
            if (error != null) {
                response.onError(toStatus(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error));
                return;
            }
            if (answeredBy != null) {
                answeredBy.set(new RoutingMetadata.AnsweredBy(variant, r.getModelVersion()));
            }
            response.onNext(r);
            response.onCompleted();
        });
    }

    private void route(ModelInferRequest request, StreamObserver<ModelInferResponse> response,
            AtomicReference<RoutingMetadata.AnsweredBy> answeredBy) {
        CompletableFuture<Router.Routed<GrpcRouting.Reply>> routed;
        try {
            routed = routing.infer(request, RoutingMetadata.USER.get());
        } catch (NoBackendException e) {
            response.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        routed.whenComplete((r, error) -> {
            if (error != null) {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                response.onError(Status.UNAVAILABLE.withDescription(cause.getMessage()).asRuntimeException());
                return;
            }
            GrpcRouting.Reply reply = r.reply();
            if (!reply.status().isOk()) {
                response.onError(reply.status().augmentDescription("(from variant " + r.route().variant() + ", version "
                        + r.route().version() + ")").asRuntimeException());
                return;
            }
            if (answeredBy != null) {
                answeredBy.set(new RoutingMetadata.AnsweredBy(r.route().variant(), r.route().version()));
            }
            response.onNext(reply.response());
            response.onCompleted();
        });
    }

    private boolean ready() {
        return config.router() ? routerHealth.problem().isEmpty() : models.state().model() != null;
    }

    private CompletableFuture<ModelInferResponse> infer(ModelInferRequest request, String variant) {
        LoadedModel m = inference.require(request.getModelName(), request.getModelVersion());
        Tensor history = input(request, OnnxSignature.INPUT_HISTORY).orElseThrow(() -> InferenceException.invalid(
                "missing input 'history' (inputs: history, and optionally exclude and k)"));
        Optional<Tensor> timestamps = input(request, OnnxSignature.INPUT_TIMESTAMPS);
        Optional<Tensor> events = input(request, OnnxSignature.INPUT_EVENTS);
        Optional<Tensor> exclude = input(request, OnnxSignature.INPUT_EXCLUDE);
        Optional<Tensor> k = input(request, OnnxSignature.INPUT_K);
        return inference.infer(m, new TensorInference.Inputs(history.data(), history.shape(),
                timestamps.map(Tensor::data).orElse(null), timestamps.map(Tensor::shape).orElse(null),
                events.map(Tensor::data).orElse(null), events.map(Tensor::shape).orElse(null),
                exclude.map(Tensor::data).orElse(null), exclude.map(Tensor::shape).orElse(null),
                k.map(Tensor::data).orElse(null), k.map(Tensor::shape).orElse(null)))
                .thenApply(out -> response(out, request.getId(), variant));
    }

    private ModelInferResponse response(TensorInference.Outputs out, String id, String variant) {
        ByteBuffer scores = ByteBuffer.allocate(out.scores().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        scores.asFloatBuffer().put(out.scores());
        ByteBuffer items = ByteBuffer.allocate(out.items().length * 8).order(ByteOrder.LITTLE_ENDIAN);
        items.asLongBuffer().put(out.items());
        return ModelInferResponse.newBuilder().setModelName(config.model().name()).setModelVersion(out.version())
                .setId(id)
                .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName("scores").setDatatype("FP32")
                        .addShape(out.rows()).addShape(out.k()))
                .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName("items").setDatatype("INT64")
                        .addShape(out.rows()).addShape(out.k()))
                .addRawOutputContents(ByteString.copyFrom(scores.array()))
                .addRawOutputContents(ByteString.copyFrom(items.array()))
                .putParameters(RuntimeContract.VARIANT_PARAMETER, InferParameter.newBuilder().setStringParam(variant).build())
                .build();
    }

    private record Tensor(long[] shape, long[] data) {
    }

    private static Optional<Tensor> input(ModelInferRequest request, String name) {
        List<ModelInferRequest.InferInputTensor> inputs = request.getInputsList();
        for (int i = 0; i < inputs.size(); i++) {
            ModelInferRequest.InferInputTensor t = inputs.get(i);
            if (!t.getName().equals(name)) {
                continue;
            }
            if (!t.getDatatype().equals(OipSignature.INT64)) {
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
            return Optional.of(new Tensor(shape, data));
        }
        return Optional.empty();
    }

    private static ModelMetadataResponse.TensorMetadata tensor(OipSignature.TensorSpec spec) {
        return ModelMetadataResponse.TensorMetadata.newBuilder().setName(spec.name()).setDatatype(spec.datatype())
                .addAllShape(spec.shape()).build();
    }

    private static <T> void answer(StreamObserver<T> observer, Supplier<T> call) {
        T value;
        try {
            value = call.get();
        } catch (RuntimeException e) {
            observer.onError(toStatus(e));
            return;
        }
        observer.onNext(value);
        observer.onCompleted();
    }

    private static Throwable toStatus(Throwable e) {
        if (e instanceof InferenceException ie) {
            Status status = switch (ie.kind()) {
                case INVALID_REQUEST -> Status.INVALID_ARGUMENT;
                case UNSERVABLE -> Status.INVALID_ARGUMENT;
                case NOT_FOUND -> Status.NOT_FOUND;
                case NOT_READY -> Status.UNAVAILABLE;
                case DISABLED -> Status.PERMISSION_DENIED;
            };
            return status.withDescription(e.getMessage()).asRuntimeException();
        }
        if (e instanceof DynamicBatcher.Rejected || e instanceof DynamicBatcher.Expired || e instanceof NoBackendException) {
            return Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException();
        }
        return e;
    }
}
