package dev.sequor.modelpackage;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@value PackageLayout#METADATA_FILE}: what a package is and how it was made.
 *
 * <p>Format versions and the migration rule: {@link #FORMAT_VERSION} is what this build writes.
 * Reading accepts every older version by migrating it one step at a time ({@link #migrate}),
 * and refuses a newer one with a message that names both (an old runtime must not guess at a
 * package it does not understand). A format change that old readers could misread bumps the
 * version and adds its migration step; adding an optional field does not (unknown fields are
 * ignored).
 *
 * @param hyperparameters the trainer's settings, as logged to MLflow
 * @param metrics evaluation results (protocol, test, baselines), free-form for people
 * @param eventTypes the event types a model that reads them knows, in index order (the graph's
 *     {@code events} input takes 1 for the first); absent for a model that does not
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PackageMetadata(
        int formatVersion,
        String name,
        String architecture,
        String createdAt,
        String trainerVersion,
        int maxSequenceLength,
        int itemCount,
        Map<String, String> inputs,
        Map<String, String> outputs,
        Map<String, Object> hyperparameters,
        Integer bestEpoch,
        TrainingData trainingData,
        Map<String, Object> metrics,
        Privacy privacy,
        java.util.List<String> eventTypes) {

    /**
     * Version 2 (this build): {@code privacy.epsilon} is a number or absent. Version 1 wrote the
     * string "none" for a model trained without differential privacy.
     */
    public static final int FORMAT_VERSION = 2;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The data a model was trained on. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TrainingData(String source, String format, String fingerprint, Integer users, Long actions) {
    }

    /**
     * Differential privacy of the training run: epsilon and delta when it had any, and how they were
     * reached (absent in packages written before they were recorded).
     *
     * @param unit what one record is ("user": all of a user's actions)
     * @param noiseMultiplier sigma: the noise's standard deviation over the clip
     * @param sampleRate each step's Poisson sampling probability
     * @param steps training steps
     * @param maxGradNorm the clip: each unit's gradient's L2 norm at most
     * @param accountant what computed epsilon
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Privacy(boolean differentialPrivacy, Double epsilon, Double delta, String unit, Double noiseMultiplier,
            Double sampleRate, Long steps, Double maxGradNorm, String accountant) {

        public static final Privacy NONE = new Privacy(false, null, null, null, null, null, null, null, null);
    }

    public static PackageMetadata read(Path file) {
        JsonNode tree;
        try {
            tree = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidPackageException(file.getFileName() + " is not valid JSON: " + e.getMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidPackageException(file.getFileName() + " should be a JSON object");
        }
        PackageMetadata metadata;
        try {
            metadata = JSON.treeToValue(migrate((ObjectNode) tree, file), PackageMetadata.class);
        } catch (IOException e) {
            throw new InvalidPackageException(file.getFileName() + ": " + e.getMessage(), e);
        }
        if (metadata.maxSequenceLength() <= 0 || metadata.itemCount() <= 0) {
            throw new InvalidPackageException(file.getFileName() + " needs positive maxSequenceLength and itemCount");
        }
        if (metadata.architecture() == null || metadata.architecture().isBlank()) {
            throw new InvalidPackageException(file.getFileName() + " names no architecture");
        }
        return metadata;
    }

    public void write(Path file) throws IOException {
        JSON.writeValue(file.toFile(), this);
    }

    /** Brings an older format up to {@link #FORMAT_VERSION}, one version at a time. */
    static ObjectNode migrate(ObjectNode tree, Path file) {
        JsonNode version = tree.get("formatVersion");
        if (version == null || !version.canConvertToInt() || version.asInt() < 1) {
            throw new InvalidPackageException(file.getFileName() + " has no valid formatVersion");
        }
        int from = version.asInt();
        if (from > FORMAT_VERSION) {
            throw new InvalidPackageException(file.getFileName() + " has formatVersion " + from
                    + ", written by a newer trainer; this build reads formatVersion " + FORMAT_VERSION + " and older");
        }
        if (from == 1) {
            // v1 -> v2: privacy.epsilon "none" (no differential privacy) becomes absent.
            JsonNode privacy = tree.get("privacy");
            if (privacy instanceof ObjectNode p && p.path("epsilon").isTextual()) {
                p.remove("epsilon");
            }
            from = 2;
        }
        tree.put("formatVersion", from);
        return tree;
    }
}
