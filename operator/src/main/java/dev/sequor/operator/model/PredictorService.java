package dev.sequor.operator.model;

import dev.sequor.api.v1alpha1.Endpoint;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.contract.RuntimeContract;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/** The model's stable Service: the one address backends call. */
public final class PredictorService {

    private PredictorService() {
    }

    public static Service build(RecommenderModel model) {
        return new ServiceBuilder()
                .withMetadata(OwnerReferences.metadata(model, Names.service(model)))
                .withNewSpec()
                    .withType("ClusterIP")
                    .withSelector(Labels.selector(model))
                    .addNewPort().withName("http").withPort(RuntimeContract.HTTP_PORT)
                        .withNewTargetPort("http").withProtocol("TCP").withAppProtocol("http").endPort()
                    .addNewPort().withName("grpc").withPort(RuntimeContract.GRPC_PORT)
                        .withNewTargetPort("grpc").withProtocol("TCP").withAppProtocol("kubernetes.io/h2c").endPort()
                .endSpec()
                .build();
    }

    public static Endpoint endpoint(RecommenderModel model, OperatorDefaults defaults) {
        String host = Names.service(model) + "." + model.getMetadata().getNamespace() + "."
                + defaults.clusterDomainSuffix();
        return new Endpoint("http://" + host + ":" + RuntimeContract.HTTP_PORT,
                host + ":" + RuntimeContract.GRPC_PORT);
    }
}
