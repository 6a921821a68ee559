package dev.sequor.operator.testing;

import dev.sequor.testing.Repo;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;

/** A kustomization of the repository built as a user's {@code kubectl apply -k} would see it. */
public final class Kustomize {

    private Kustomize() {
    }

    /** The objects, parsed by Fabric8's serializer (kinds it has no class for stay generic). */
    public static List<HasMetadata> build(String dir) {
        Object parsed = new KubernetesSerialization().unmarshal(Repo.runScript("scripts/kustomize.sh", dir));
        List<?> documents = parsed instanceof List<?> list ? list : List.of(parsed);
        return documents.stream().map(HasMetadata.class::cast).toList();
    }
}
