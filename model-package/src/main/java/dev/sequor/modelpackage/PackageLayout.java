package dev.sequor.modelpackage;

import java.util.List;

/**
 * The files of a model package directory. A package is the unit the registry versions, the
 * trainer writes and the runtime serves.
 */
public final class PackageLayout {

    /** The ONNX graph: padded history in, top-k item indices and scores out ({@link OnnxSignature}). */
    public static final String MODEL_FILE = "model.onnx";
    /** {@link PackageMetadata} as JSON. */
    public static final String METADATA_FILE = "metadata.json";
    /** The vocabulary ({@link ItemVocabulary}): "index TAB external id", one line per item from 1. */
    public static final String ITEMS_FILE = "items.tsv";
    /** Training curves for people; not needed to serve. */
    public static final String CURVES_FILE = "training-curves.html";

    /** What serving needs, in the order a download should fetch them (metadata last marks completion). */
    public static final List<String> SERVING_FILES = List.of(MODEL_FILE, ITEMS_FILE, METADATA_FILE);

    private PackageLayout() {
    }
}
