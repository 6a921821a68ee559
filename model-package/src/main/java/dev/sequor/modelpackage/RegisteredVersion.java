package dev.sequor.modelpackage;

/**
 * One version of a registered model as a registry answers it.
 *
 * @param source where the package is: a file URI (local registry) or the MLflow artifact URI
 * @param runId the MLflow run that produced it, when known
 */
public record RegisteredVersion(String name, String version, String source, String runId) {
}
