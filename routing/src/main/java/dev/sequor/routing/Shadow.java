package dev.sequor.routing;

/**
 * Mirroring: a share of requests is also sent to {@code variant}, whose answer is compared with
 * the one the caller got and then dropped.
 *
 * @param variant a variant of the split other than the champion
 * @param share fraction of requests mirrored, 0..1
 */
public record Shadow(String variant, double share) {
}
