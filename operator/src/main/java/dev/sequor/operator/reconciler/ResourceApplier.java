package dev.sequor.operator.reconciler;

import dev.sequor.api.v1alpha1.RecommenderModel;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.GenericKubernetesResourceMatcher;
import java.util.function.Function;

/**
 * Creates an object, or updates it only when it differs from the desired one in a field the
 * operator sets (fields the API server or other controllers add are left alone), so an unchanged
 * resource causes no write and no rollout.
 */
final class ResourceApplier {

    private final Context<RecommenderModel> context;
    private final RecommenderModel owner;

    ResourceApplier(Context<RecommenderModel> context, RecommenderModel owner) {
        this.context = context;
        this.owner = owner;
    }

    <R extends HasMetadata> R apply(R desired, Function<R, Resource<R>> handleFor) {
        R existing = handleFor.apply(desired).get();
        if (existing == null) {
            return handleFor.apply(desired).create();
        }
        requireOwned(existing);
        if (GenericKubernetesResourceMatcher.match(desired, existing, false, false, context).matched()) {
            return existing;
        }
        keepServerOwnedFields(existing, desired);
        desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        return handleFor.apply(desired).update();
    }

    <R extends HasMetadata> void deleteIfOwned(Resource<R> handle) {
        R existing = handle.get();
        if (existing != null && isOwned(existing)) {
            handle.delete();
        }
    }

    /** Fields a full update must carry over: the Service's allocated IPs, the HPA's replica count. */
    private static void keepServerOwnedFields(HasMetadata existing, HasMetadata desired) {
        if (existing instanceof Service e && desired instanceof Service d) {
            d.getSpec().setClusterIP(e.getSpec().getClusterIP());
            d.getSpec().setClusterIPs(e.getSpec().getClusterIPs());
            d.getSpec().setIpFamilies(e.getSpec().getIpFamilies());
            d.getSpec().setIpFamilyPolicy(e.getSpec().getIpFamilyPolicy());
        } else if (existing instanceof Deployment e && desired instanceof Deployment d
                && d.getSpec().getReplicas() == null) {
            d.getSpec().setReplicas(e.getSpec().getReplicas());
        }
    }

    private void requireOwned(HasMetadata existing) {
        if (!isOwned(existing)) {
            throw new ObjectConflictException(existing.getKind() + " " + existing.getMetadata().getName()
                    + " already exists and is not owned by RecommenderModel " + owner.getMetadata().getName()
                    + "; rename one of them or delete the " + existing.getKind() + ".");
        }
    }

    private boolean isOwned(HasMetadata existing) {
        return existing.getMetadata().getOwnerReferences() != null && existing.getMetadata().getOwnerReferences()
                .stream().anyMatch(ref -> owner.getMetadata().getUid().equals(ref.getUid()));
    }
}
