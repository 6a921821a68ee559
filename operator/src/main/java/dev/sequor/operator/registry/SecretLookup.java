package dev.sequor.operator.registry;

import java.util.Map;
import java.util.Optional;

/** Reads a Secret's decoded data; the Kubernetes side lives in the reconciler. */
@FunctionalInterface
public interface SecretLookup {

    Optional<Map<String, String>> find(String namespace, String name);
}
