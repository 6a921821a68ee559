package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Where the model package comes from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.registry) != has(self.uri)",
        message = "spec.model needs exactly one source: set either registry or uri, not both and not neither")
@ValidationRule(value = "!has(self.uri) || !self.uri.matches('/\\\\.\\\\.?(/|$)')",
        message = "spec.model.uri must not contain '.' or '..' path segments (a pvc:// path would escape its volume)")
public record ModelSource(
        @JsonPropertyDescription("A registered model in the MLflow Model Registry, pinned by version or followed "
                + "by alias. The operator resolves it to a version and records it in status.model.")
        RegistryModelRef registry,

        @JsonPropertyDescription("A direct model package, taken as is: https://host/path, "
                + "pvc://claim/path (mounted read-only into the pods), models:/name/version or "
                + "models:/name@alias, mlflow-artifacts:/path or runs:/run-id/path (both read through "
                + "the MLflow tracking server).")
        @Size(max = 2048)
        @Pattern("^(https?://[^\\s]+|pvc://[a-z0-9]([-a-z0-9]*[a-z0-9])?(/[^\\s]*)?"
                + "|models:/[^\\s]+|mlflow-artifacts:/[^\\s]+|runs:/[^\\s]+)$")
        String uri) {
}
