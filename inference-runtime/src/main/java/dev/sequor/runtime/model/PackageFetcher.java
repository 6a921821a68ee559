package dev.sequor.runtime.model;

import dev.sequor.modelpackage.HttpCalls;
import dev.sequor.modelpackage.InvalidPackageException;
import dev.sequor.modelpackage.PackageDownload;
import dev.sequor.modelpackage.RegisteredVersion;
import dev.sequor.modelpackage.RegistryException;
import dev.sequor.modelpackage.mlflow.MlflowRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Brings a model package to local disk: a path or file:// URI is used in place; https:// is
 * downloaded; mlflow-artifacts:/ through the MLflow tracking server's artifact proxy; runs:/ and
 * models:/ (name/version or name@alias, for a runtime started by hand) are looked up in MLflow
 * first. The operator always passes a resolved artifact URI, so pods never resolve an alias.
 */
public final class PackageFetcher {

    private final Path cacheDir;
    private final Optional<MlflowRegistry> mlflow;
    private final HttpCalls http = HttpCalls.standard(Duration.ofSeconds(10));

    public PackageFetcher(Path cacheDir, Optional<MlflowRegistry> mlflow) {
        this.cacheDir = cacheDir;
        this.mlflow = mlflow;
    }

    public Path fetch(String uri) {
        try {
            if (uri.startsWith("file:")) {
                return Path.of(URI.create(uri));
            }
            if (uri.startsWith("http://") || uri.startsWith("https://")) {
                return PackageDownload.fetch(http, uri.replaceAll("/+$", ""), Optional.empty(), cacheDir, uri);
            }
            if (uri.startsWith("models:/")) {
                return fetch(modelVersionSource(uri));
            }
            if (uri.startsWith("runs:/")) {
                return fetch(runArtifact(uri));
            }
            if (uri.startsWith(MlflowRegistry.ARTIFACT_SCHEME)) {
                return requireMlflow(uri).downloadPackage(uri, cacheDir);
            }
            if (!uri.contains(":/")) {
                return Path.of(uri);
            }
        } catch (RegistryException | IOException e) {
            throw new InvalidPackageException("cannot fetch " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidPackageException("interrupted while fetching " + uri, e);
        }
        throw new InvalidPackageException("unsupported model URI " + uri
                + " (use a path, file://, https://, models:/, runs:/ or mlflow-artifacts:/)");
    }

    private String modelVersionSource(String uri) {
        String ref = uri.substring("models:/".length()).replaceAll("/+$", "");
        int at = ref.lastIndexOf('@');
        int slash = ref.lastIndexOf('/');
        RegisteredVersion version;
        if (at > 0) {
            version = requireMlflow(uri).resolve(ref.substring(0, at), null, ref.substring(at + 1));
        } else if (slash > 0) {
            version = requireMlflow(uri).resolve(ref.substring(0, slash), ref.substring(slash + 1), null);
        } else {
            throw new InvalidPackageException(uri + " should be models:/name/version or models:/name@alias");
        }
        return version.source();
    }

    private String runArtifact(String uri) {
        String rest = uri.substring("runs:/".length());
        int slash = rest.indexOf('/');
        String runId = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        return requireMlflow(uri).runArtifactUri(runId) + (path.isEmpty() ? "" : "/" + path);
    }

    private MlflowRegistry requireMlflow(String uri) {
        return mlflow.orElseThrow(() -> new InvalidPackageException(uri + " is read through MLflow, but "
                + "MLFLOW_TRACKING_URI is not set"));
    }
}
