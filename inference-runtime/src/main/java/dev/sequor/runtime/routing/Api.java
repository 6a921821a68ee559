package dev.sequor.runtime.routing;

/** The serving APIs, as the {@code api} metric label. */
public enum Api {
    RECOMMENDATIONS("recommendations"),
    OIP_REST("oip_rest"),
    OIP_GRPC("oip_grpc");

    private final String label;

    Api(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
