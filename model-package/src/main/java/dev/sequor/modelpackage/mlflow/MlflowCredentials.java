package dev.sequor.modelpackage.mlflow;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * How to authenticate to an MLflow tracking server: a bearer token, or a user name and password
 * (basic auth), from MLflow's own environment variables or a Secret with the same keys.
 */
public record MlflowCredentials(String token, String username, String password) {

    /** MLflow's names for them (the operator↔runtime contract passes the same names to pods). */
    public static final String TOKEN = "MLFLOW_TRACKING_TOKEN";
    public static final String USERNAME = "MLFLOW_TRACKING_USERNAME";
    public static final String PASSWORD = "MLFLOW_TRACKING_PASSWORD";

    public static final MlflowCredentials NONE = new MlflowCredentials(null, null, null);

    /** From the process environment, or a Secret's data, under MLflow's variable names. */
    public static MlflowCredentials from(Map<String, String> variables) {
        return new MlflowCredentials(variables.get(TOKEN), variables.get(USERNAME), variables.get(PASSWORD));
    }

    /** The Authorization header value, if any credentials are set. */
    public Optional<String> authorization() {
        if (token != null && !token.isEmpty()) {
            return Optional.of("Bearer " + token);
        }
        if (username != null && !username.isEmpty()) {
            String pair = username + ":" + (password == null ? "" : password);
            return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "MlflowCredentials[" + (token != null ? "token" : username != null ? "basic" : "none") + "]";
    }
}
