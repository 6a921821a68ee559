package dev.sequor.operator.model;

import dev.sequor.api.v1alpha1.ResolvedModel;
import java.util.Optional;

/**
 * A resolved model as the pods need it: what status reports, plus how to reach the registry.
 *
 * @param resolved what status.model shows
 * @param trackingUri MLflow tracking server the pods read artifacts through, if any
 * @param credentialsSecret Secret with MLflow credentials, if any
 */
public record ModelPackage(ResolvedModel resolved, String trackingUri, String credentialsSecret) {

    public Optional<String> trackingUriIfAny() {
        return Optional.ofNullable(trackingUri);
    }
}
