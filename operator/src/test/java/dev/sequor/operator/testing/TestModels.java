package dev.sequor.operator.testing;

import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.ResolvedModel;
import dev.sequor.operator.model.ModelPackage;
import dev.sequor.operator.model.ServedVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

/** RecommenderModel objects written the way users write them: YAML. */
public final class TestModels {

    private TestModels() {
    }

    public static RecommenderModel fromYaml(String name, String namespace, String specYaml) {
        String yaml = """
                apiVersion: sequor.dev/v1alpha1
                kind: RecommenderModel
                metadata:
                  name: %s
                  namespace: %s
                spec:
                %s
                """.formatted(name, namespace, specYaml.indent(2));
        return Serialization.unmarshal(yaml, RecommenderModel.class);
    }

    /**
     * Replaces a stored resource's spec with one JSON Patch, like a user's apply: no
     * resourceVersion, so it never conflicts with the operator's status writes.
     */
    public static void replaceSpec(KubernetesClient client, String namespace, String name, String specYaml) {
        RecommenderModel model = fromYaml(name, namespace, specYaml);
        String patch = "[{\"op\":\"replace\",\"path\":\"/spec\",\"value\":"
                + client.getKubernetesSerialization().asJson(model.getSpec()) + "}]";
        client.resources(RecommenderModel.class).inNamespace(namespace).withName(name)
                .patch(PatchContext.of(PatchType.JSON), patch);
    }

    /**
     * Sets one annotation with a JSON merge patch, like {@code kubectl annotate}: no resourceVersion,
     * so it never conflicts with the operator's own writes.
     */
    public static void annotate(KubernetesClient client, String namespace, String name, String key, String value) {
        String patch = "{\"metadata\":{\"annotations\":{" + client.getKubernetesSerialization().asJson(key) + ":"
                + client.getKubernetesSerialization().asJson(value) + "}}}";
        client.resources(RecommenderModel.class).inNamespace(namespace).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    /** The predictor Deployment (and Service) name of a model served from a direct package URI. */
    public static String predictorForUri(String model, String uri) {
        return model + "-" + new ServedVersion("champion", new ModelPackage(new ResolvedModel(null, null, null, uri), null,
                null), 100).key();
    }

    /** As the API server would return it: with a uid and a generation. */
    public static RecommenderModel stored(String name, String namespace, String specYaml) {
        RecommenderModel model = fromYaml(name, namespace, specYaml);
        model.getMetadata().setUid("uid-" + name);
        model.getMetadata().setGeneration(1L);
        return model;
    }
}
