package dev.sequor.operator.reconciler;

import dev.sequor.api.v1alpha1.RecommenderModel;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.SSABasedGenericKubernetesResourceMatcher;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Server-side apply of the operator's objects under its own field manager. What the cache already
 * shows as applied costs no call; fields other managers own (the Service's cluster IP, an HPA's
 * replica count, a user's extra label) are left to them. An object of the same name that the
 * resource does not own is never taken over.
 */
final class ResourceApplier {

    private final Context<RecommenderModel> context;
    private final RecommenderModel owner;
    private final String fieldManager;

    ResourceApplier(Context<RecommenderModel> context, RecommenderModel owner) {
        this.context = context;
        this.owner = owner;
        this.fieldManager = context.getControllerConfiguration().fieldManager();
    }

    /**
     * Applies {@code desired}. {@code cached} is the informer's copy; empty means the cache has no
     * such object (new, or not labelled as ours), so the server is asked before anything is applied.
     */
    <R extends HasMetadata> R apply(R desired, Optional<R> cached, Function<R, Resource<R>> handleFor) {
        if (cached.isPresent()) {
            requireOwned(cached.get());
            if (SSABasedGenericKubernetesResourceMatcher.<R>getInstance().matches(cached.get(), desired, context)) {
                return cached.get();
            }
        } else {
            R live = handleFor.apply(desired).get();
            if (live != null) {
                requireOwned(live);
            }
        }
        return handleFor.apply(desired).fieldManager(fieldManager).forceConflicts().serverSideApply();
    }

    /** Deletes the owned objects of a kind (from the informer's cache) that are no longer desired. */
    <R extends HasMetadata> void deleteUndesired(Class<R> type, Set<String> desiredNames) {
        for (R existing : context.getSecondaryResources(type)) {
            if (!desiredNames.contains(existing.getMetadata().getName()) && isOwned(existing)) {
                context.getClient().resource(existing).delete();
            }
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
