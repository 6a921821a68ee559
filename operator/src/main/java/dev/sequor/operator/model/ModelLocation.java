package dev.sequor.operator.model;

import dev.sequor.contract.RuntimeContract;

/**
 * Where the pods find a package. A {@code pvc://claim/path} source becomes a read-only volume and
 * a file URI inside the pod; every other scheme reaches the pod unchanged.
 */
record ModelLocation(String podUri, String pvcClaim) {

    private static final String PVC_SCHEME = "pvc://";

    static ModelLocation of(String uri) {
        if (!uri.startsWith(PVC_SCHEME)) {
            return new ModelLocation(uri, null);
        }
        String rest = uri.substring(PVC_SCHEME.length());
        int slash = rest.indexOf('/');
        String claim = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        return new ModelLocation("file://" + RuntimeContract.PVC_MOUNT + path, claim);
    }
}
