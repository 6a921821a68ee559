package dev.sequor.operator.registry;

import dev.sequor.contract.RuntimeContract;
import java.util.Map;

/** MLflow credentials read from a Secret: a bearer token, or a user name and password. */
public record RegistryCredentials(String token, String username, String password) {

    public static final RegistryCredentials NONE = new RegistryCredentials(null, null, null);

    public static RegistryCredentials fromSecretData(Map<String, String> data) {
        return new RegistryCredentials(data.get(RuntimeContract.MLFLOW_TRACKING_TOKEN),
                data.get(RuntimeContract.MLFLOW_TRACKING_USERNAME), data.get(RuntimeContract.MLFLOW_TRACKING_PASSWORD));
    }

    @Override
    public String toString() {
        return "RegistryCredentials[" + (token != null ? "token" : username != null ? "basic" : "none") + "]";
    }
}
