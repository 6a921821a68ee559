package dev.sequor.runtime.grpc;

import dev.sequor.contract.RuntimeContract;
import dev.sequor.runtime.config.RuntimeConfig;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;

/**
 * gRPC metadata for routing: reads the user key and the variant a router chose from the request
 * metadata, and writes the variant and version that answered into the response headers.
 */
@GlobalInterceptor
@ApplicationScoped
public class RoutingMetadata implements ServerInterceptor {

    /** Who answered: set by the service before its first message, sent as response headers. */
    public record AnsweredBy(String variant, String version) {
    }

    static final Context.Key<String> USER = Context.key("sequor-user");
    static final Context.Key<String> ROUTED_AS = Context.key("sequor-routed-as");
    static final Context.Key<AtomicReference<AnsweredBy>> ANSWERED_BY = Context.key("sequor-answered-by");
    static final Metadata.Key<String> VARIANT_KEY = Metadata.Key.of(RuntimeContract.VARIANT_HEADER, Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> VERSION_KEY = Metadata.Key.of(RuntimeContract.VERSION_HEADER, Metadata.ASCII_STRING_MARSHALLER);

    private final Metadata.Key<String> userKey;

    public RoutingMetadata(RuntimeConfig config) {
        this.userKey = Metadata.Key.of(config.routing().userHeader(), Metadata.ASCII_STRING_MARSHALLER);
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        AtomicReference<AnsweredBy> answeredBy = new AtomicReference<>();
        Context context = Context.current().withValues(USER, headers.get(userKey), ROUTED_AS, headers.get(VARIANT_KEY),
                ANSWERED_BY, answeredBy);
        ServerCall<Q, A> withHeaders = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
                AnsweredBy by = answeredBy.get();
                if (by != null) {
                    responseHeaders.put(VARIANT_KEY, by.variant());
                    responseHeaders.put(VERSION_KEY, by.version());
                }
                super.sendHeaders(responseHeaders);
            }
        };
        return Contexts.interceptCall(context, withHeaders, headers, next);
    }
}
