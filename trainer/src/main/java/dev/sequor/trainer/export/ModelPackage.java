package dev.sequor.trainer.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sequor.trainer.data.ItemVocabulary;
import dev.sequor.trainer.model.SasRecBlock;
import dev.sequor.trainer.train.EpochReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The model package the runtime serves: a directory with {@value #MODEL_FILE}, {@value #METADATA_FILE},
 * {@value #ITEMS_FILE} (index TAB external id, from 1) and {@value #CURVES_FILE}.
 */
public final class ModelPackage {

    public static final String MODEL_FILE = "model.onnx";
    public static final String METADATA_FILE = "metadata.json";
    public static final String ITEMS_FILE = "items.tsv";
    public static final String CURVES_FILE = "training-curves.html";
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelPackage() {
    }

    /** Writes the package into {@code dir} (created if missing) and returns the files written. */
    public static List<Path> write(Path dir, SasRecBlock block, ItemVocabulary items, Map<String, Object> metadata,
            List<EpochReport> epochs, String producerVersion) throws IOException {
        Files.createDirectories(dir);
        Path model = dir.resolve(MODEL_FILE);
        Files.write(model, SasRecOnnxExporter.export(block, producerVersion).toByteArray());
        Path meta = dir.resolve(METADATA_FILE);
        JSON.writeValue(meta.toFile(), metadata);
        Path vocabulary = dir.resolve(ITEMS_FILE);
        items.save(vocabulary);
        Path curves = dir.resolve(CURVES_FILE);
        Files.writeString(curves, TrainingCurves.html(epochs, String.valueOf(metadata.getOrDefault("name", "SASRec"))));
        return List.of(model, meta, vocabulary, curves);
    }
}
