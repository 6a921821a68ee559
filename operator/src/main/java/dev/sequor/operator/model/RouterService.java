package dev.sequor.operator.model;

import dev.sequor.api.v1alpha1.Endpoint;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.contract.RuntimeContract;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.Map;

/**
 * The Services of a model: {@code NAME}, the one address backends call, leads to the routers; each
 * version's {@code NAME-v7} leads to its predictors and is what the routers call.
 */
public final class RouterService {

    private RouterService() {
    }

    /** The model's public Service, selecting the router pods. */
    public static Service build(RecommenderModel model) {
        return service(model, Names.service(model), Labels.model(model), Labels.routerSelector(model));
    }

    /** A version's Service, selecting its predictor pods. */
    public static Service predictor(RecommenderModel model, ServedVersion version) {
        return service(model, Names.predictor(model, version), Labels.predictor(model, version),
                Labels.predictorSelector(model, version));
    }

    private static Service service(RecommenderModel model, String name, Map<String, String> labels,
            Map<String, String> selector) {
        return new ServiceBuilder()
                .withMetadata(OwnerReferences.metadata(model, name, labels))
                .withNewSpec()
                    .withType("ClusterIP")
                    .withSelector(selector)
                    .addNewPort().withName("http").withPort(RuntimeContract.HTTP_PORT)
                        .withNewTargetPort("http").withProtocol("TCP").withAppProtocol("http").endPort()
                    .addNewPort().withName("grpc").withPort(RuntimeContract.GRPC_PORT)
                        .withNewTargetPort("grpc").withProtocol("TCP").withAppProtocol("kubernetes.io/h2c").endPort()
                .endSpec()
                .build();
    }

    /** Where backends reach the model. */
    public static Endpoint endpoint(RecommenderModel model, OperatorDefaults defaults) {
        String host = host(model, Names.service(model), defaults);
        return new Endpoint("http://" + host + ":" + RuntimeContract.HTTP_PORT, host + ":" + RuntimeContract.GRPC_PORT);
    }

    /** Where the routers reach a version. */
    public static Endpoint predictorEndpoint(RecommenderModel model, ServedVersion version, OperatorDefaults defaults) {
        String host = host(model, Names.predictor(model, version), defaults);
        return new Endpoint("http://" + host + ":" + RuntimeContract.HTTP_PORT, host + ":" + RuntimeContract.GRPC_PORT);
    }

    private static String host(RecommenderModel model, String service, OperatorDefaults defaults) {
        return service + "." + model.getMetadata().getNamespace() + "." + defaults.clusterDomainSuffix();
    }
}
