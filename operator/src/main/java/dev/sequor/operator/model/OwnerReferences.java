package dev.sequor.operator.model;

import dev.sequor.api.v1alpha1.RecommenderModel;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;
import java.util.Map;

/** Metadata of owned objects: deleting the RecommenderModel garbage-collects them. */
final class OwnerReferences {

    private OwnerReferences() {
    }

    static OwnerReference controller(RecommenderModel model) {
        return new OwnerReferenceBuilder()
                .withApiVersion(model.getApiVersion())
                .withKind(model.getKind())
                .withName(model.getMetadata().getName())
                .withUid(model.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    static ObjectMeta metadata(RecommenderModel model, String name, Map<String, String> labels) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(model.getMetadata().getNamespace())
                .withLabels(labels)
                .withOwnerReferences(List.of(controller(model)))
                .build();
    }
}
