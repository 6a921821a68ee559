package dev.sequor.operator.testing;

import dev.sequor.testing.Repo;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.stream.Stream;

/** A kustomization of the repository built as a user's {@code kubectl apply -k} would see it. */
public final class Kustomize {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Kustomize() {
    }

    public static List<HasMetadata> build(String dir) {
        String yaml = Repo.runScript("scripts/kustomize.sh", dir);
        return Stream.of(yaml.split("(?m)^---\\s*$"))
                .filter(doc -> !doc.isBlank())
                .map(doc -> (HasMetadata) SERIALIZATION.unmarshal(doc))
                .toList();
    }
}
