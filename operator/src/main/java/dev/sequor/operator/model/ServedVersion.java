package dev.sequor.operator.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * One version a model serves: the champion (spec.model) or a candidate (spec.rollout), resolved,
 * with the share of users spec asks for.
 *
 * @param variant {@code champion} or the candidate's name
 * @param pkg the resolved package
 * @param weight percent of users asked for (the champion's is what the candidates leave)
 */
public record ServedVersion(String variant, ModelPackage pkg, int weight) {

    /**
     * What names the version's objects ({@code NAME-KEY}): {@code v7} for registry version 7, else
     * {@code u} and 8 hex digits of the package URI's SHA-256. Stable while the version is served,
     * so a change of variant or weight never renames (or restarts) its pods.
     */
    public String key() {
        String version = pkg.resolved().version();
        if (version != null && !version.isEmpty()) {
            return "v" + version.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(pkg.resolved().uri().getBytes(StandardCharsets.UTF_8));
            return "u" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The version label and metric value: the registry version, else the key. */
    public String version() {
        String version = pkg.resolved().version();
        return version != null && !version.isEmpty() ? version : key();
    }
}
