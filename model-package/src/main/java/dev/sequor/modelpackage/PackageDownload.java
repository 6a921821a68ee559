package dev.sequor.modelpackage;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Brings a package served over HTTP (a web server, or MLflow's artifact proxy) into a local cache
 * directory named after where it came from. The files land in a staging directory first and the
 * whole directory is renamed into place: a failed download leaves nothing behind, and a package
 * directory in the cache is always complete.
 */
public final class PackageDownload {

    private PackageDownload() {
    }

    /** The cache directory for {@code source}, filled from {@code baseUrl} unless already there. */
    public static Path fetch(HttpCalls http, String baseUrl, Optional<String> authorization, Path cacheDir,
            String source) throws IOException, InterruptedException {
        Path target = cacheDir.resolve(key(source));
        if (Files.isDirectory(target)) {
            return target;
        }
        Files.createDirectories(cacheDir);
        Path staging = Files.createTempDirectory(cacheDir, ".partial-");
        try {
            for (String file : PackageLayout.SERVING_FILES) {
                HttpRequest.Builder get = HttpRequest.newBuilder(URI.create(baseUrl + "/" + file))
                        .timeout(Duration.ofMinutes(5));
                authorization.ifPresent(a -> get.header("Authorization", a));
                HttpResponse<Path> r = http.send(get.build(), HttpResponse.BodyHandlers.ofFile(staging.resolve(file)),
                        true);
                if (r.statusCode() != 200) {
                    throw new InvalidPackageException("downloading " + baseUrl + "/" + file + " answered HTTP "
                            + r.statusCode());
                }
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
                // Another load fetched the same package first; use theirs.
            }
            return target;
        } finally {
            deleteRecursively(staging);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static String key(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(source.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
