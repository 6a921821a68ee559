package dev.sequor.operator.registry;

import dev.sequor.api.v1alpha1.CandidateSpec;
import dev.sequor.api.v1alpha1.ModelSource;
import dev.sequor.api.v1alpha1.Reason;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.RegistryModelRef;
import dev.sequor.contract.Variant;
import dev.sequor.operator.model.ModelPackage;
import dev.sequor.operator.model.ServedVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves every version a resource serves: spec.model (the champion) and each candidate of
 * spec.rollout. All or nothing: one that does not resolve fails the whole set, so a split is never
 * half-applied (the serving objects stay as they were).
 */
public final class ServedVersions {

    private ServedVersions() {
    }

    /** The champion first, then the candidates in spec order. */
    public static List<ServedVersion> resolve(RecommenderModel model, ModelResolver resolver, SecretLookup secrets) {
        String namespace = model.getMetadata().getNamespace();
        List<CandidateSpec> candidates = model.getSpec().rolloutOrDefault().candidatesOrEmpty();
        int candidatesWeight = candidates.stream().mapToInt(CandidateSpec::weightOrZero).sum();
        List<ServedVersion> versions = new ArrayList<>();
        versions.add(new ServedVersion(Variant.CHAMPION, resolver.resolve(model, secrets), 100 - candidatesWeight));
        for (CandidateSpec candidate : candidates) {
            ModelPackage pkg;
            try {
                pkg = resolver.resolve(candidate.model(), namespace, secrets);
            } catch (ModelResolutionException e) {
                throw new ModelResolutionException(e.reason(), "spec.rollout candidate " + candidate.name() + ": "
                        + e.getMessage(), e);
            }
            versions.add(new ServedVersion(candidate.name(), pkg, candidate.weightOrZero()));
        }
        Map<String, String> variantByKey = new HashMap<>();
        for (ServedVersion v : versions) {
            String other = variantByKey.putIfAbsent(v.key(), v.variant());
            if (other != null) {
                throw new ModelResolutionException(Reason.DUPLICATE_VERSION, "variants " + other + " and " + v.variant()
                        + " both resolve to version " + v.version() + "; each variant must serve its own version.");
            }
        }
        return versions;
    }

    /**
     * The version spec.rollout.candidateAlias points at, in the champion's registry; empty while
     * no version carries the alias.
     */
    public static Optional<ModelPackage> candidateFromAlias(RecommenderModel model, ModelResolver resolver,
            SecretLookup secrets) {
        String alias = model.getSpec().rolloutOrDefault().candidateAlias();
        RegistryModelRef champion = model.getSpec().model().registry();
        if (alias == null || champion == null) {
            return Optional.empty();
        }
        RegistryModelRef ref = new RegistryModelRef(champion.name(), null, alias, champion.trackingUri(),
                champion.credentialsSecret());
        try {
            return Optional.of(resolver.resolve(new ModelSource(ref, null), model.getMetadata().getNamespace(), secrets));
        } catch (ModelResolutionException e) {
            if (e.reason() == Reason.ALIAS_NOT_FOUND) {
                return Optional.empty();
            }
            throw new ModelResolutionException(e.reason(), "spec.rollout.candidateAlias " + alias + ": " + e.getMessage(), e);
        }
    }
}
