package dev.sequor.contract;

/** What an inference-runtime pod does: the {@code sequor.dev/role} label and {@code SEQUOR_ROLE}. */
public final class Role {

    /** Loads one model version and answers with it. */
    public static final String PREDICTOR = "predictor";
    /** Loads no model: assigns each request to a variant by the traffic split and forwards it. */
    public static final String ROUTER = "router";

    private Role() {
    }
}
