package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A model in the MLflow Model Registry. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.version) != has(self.alias)",
        message = "spec.model.registry needs exactly one of version or alias")
public record RegistryModelRef(
        @Required
        @JsonPropertyDescription("Name of the registered model.")
        @Pattern("^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$")
        String name,

        @JsonPropertyDescription("A fixed model version number, e.g. \"7\".")
        @Pattern("^[1-9][0-9]{0,9}$")
        String version,

        @JsonPropertyDescription("A registry alias to follow, e.g. \"champion\". The serving version moves "
                + "when the alias moves.")
        @Pattern("^[A-Za-z0-9_-]{1,255}$")
        String alias,

        @JsonPropertyDescription("MLflow tracking server URL. Defaults to the operator's configured server "
                + "(sequor.registry.mlflow.tracking-uri).")
        @Pattern("^https?://[^\\s]+$")
        String trackingUri,

        @JsonPropertyDescription("Name of a Secret in the same namespace holding MLflow credentials: "
                + "MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD. "
                + "Used by the operator and passed to the serving pods.")
        @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
        String credentialsSecret) {
}
