package dev.sequor.runtime.grpc;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import dev.sequor.contract.RuntimeContract;
import dev.sequor.routing.Route;
import dev.sequor.runtime.grpc.v2.GRPCInferenceServiceGrpc;
import dev.sequor.runtime.grpc.v2.ModelInferRequest;
import dev.sequor.runtime.grpc.v2.ModelInferResponse;
import dev.sequor.runtime.grpc.v2.ModelMetadataRequest;
import dev.sequor.runtime.grpc.v2.ModelMetadataResponse;
import dev.sequor.runtime.routing.Api;
import dev.sequor.runtime.routing.Backends;
import dev.sequor.runtime.routing.Exchange;
import dev.sequor.runtime.routing.Router;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The router role of the Open Inference Protocol over gRPC: ModelInfer forwarded to the user's variant. */
@ApplicationScoped
public class GrpcRouting {

    /** A predictor's answer: the response, or the status it failed with. */
    public record Reply(ModelInferResponse response, Status status) {
    }

    private static final Set<Status.Code> PREDICTOR_FAILURES = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
            Status.Code.INTERNAL, Status.Code.UNKNOWN, Status.Code.RESOURCE_EXHAUSTED, Status.Code.CANCELLED);

    private final Router router;
    private final Backends backends;

    public GrpcRouting(Router router, Backends backends) {
        this.router = router;
        this.backends = backends;
    }

    /** The user key is the metadata header, else the request parameter {@code user_id}. */
    public CompletableFuture<Router.Routed<Reply>> infer(ModelInferRequest request, String headerUser) {
        String userKey = headerUser;
        if (userKey == null && request.containsParameters(RuntimeContract.USER_PARAMETER)) {
            userKey = request.getParametersOrThrow(RuntimeContract.USER_PARAMETER).getStringParam();
        }
        return router.route(Api.OIP_GRPC, userKey, new Exchange<>() {
            @Override
            public CompletableFuture<Reply> send(Route route, Duration timeout) {
                Metadata headers = new Metadata();
                headers.put(RoutingMetadata.VARIANT_KEY, route.variant());
                CompletableFuture<Reply> reply = new CompletableFuture<>();
                Futures.addCallback(GRPCInferenceServiceGrpc.newFutureStub(backends.channel(route))
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                        .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS).modelInfer(request),
                        new FutureCallback<>() {
                            @Override
                            public void onSuccess(ModelInferResponse response) {
                                reply.complete(new Reply(response, Status.OK));
                            }

                            @Override
                            public void onFailure(Throwable t) {
                                reply.complete(new Reply(null, Status.fromThrowable(t)));
                            }
                        }, MoreExecutors.directExecutor());
                return reply;
            }

            @Override
            public boolean failed(Reply reply) {
                return PREDICTOR_FAILURES.contains(reply.status().getCode());
            }

            @Override
            public boolean serverError(Reply reply) {
                return failed(reply);
            }

            @Override
            public List<String> items(Reply reply) {
                return List.of();
            }
        });
    }

    /** Metadata: answered by the champion. */
    public ModelMetadataResponse metadata(ModelMetadataRequest request) {
        Route champion = router.assignment().champion();
        try {
            return GRPCInferenceServiceGrpc.newBlockingStub(backends.channel(champion)).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .modelMetadata(request);
        } catch (StatusRuntimeException e) {
            throw e.getStatus().augmentDescription("from the champion (version " + champion.version() + ")").asRuntimeException();
        }
    }
}
