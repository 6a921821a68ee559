package dev.sequor.trainer.registry;

import dev.sequor.analysis.privacy.PrivacyLedger;
import dev.sequor.contract.TrainingContract;
import dev.sequor.modelpackage.LocalRegistry;
import dev.sequor.modelpackage.mlflow.MlflowCredentials;
import dev.sequor.modelpackage.mlflow.MlflowRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The privacy ledger kept in the registry, as a tag of the registered model ({@link
 * TrainingContract#TAG_PRIVACY_LEDGER}): the durable record of every DP-SGD run on the model's data.
 * A run reads it before admission and writes it, with itself, before training starts — a run that
 * fails later has still been counted.
 */
public final class RecordedLedger {

    private final String model;
    private final Optional<LocalRegistry> local;
    private final Optional<MlflowRegistry> mlflow;

    public RecordedLedger(String model, Path localRegistry, String mlflowUri, Map<String, String> env) {
        this.model = model;
        this.local = Optional.ofNullable(localRegistry).map(LocalRegistry::new);
        this.mlflow = Optional.ofNullable(mlflowUri).map(uri -> new MlflowRegistry(uri.replaceAll("/+$", ""),
                MlflowCredentials.from(env), Duration.ofSeconds(30)));
    }

    /** Whether there is a registry to keep the ledger in. */
    public boolean kept() {
        return local.isPresent() || mlflow.isPresent();
    }

    /** What the registries hold (empty without a registry or a run yet). */
    public PrivacyLedger read() {
        List<String> records = new ArrayList<>();
        local.flatMap(r -> r.modelTag(model, TrainingContract.TAG_PRIVACY_LEDGER)).ifPresent(records::add);
        mlflow.flatMap(r -> r.modelTag(model, TrainingContract.TAG_PRIVACY_LEDGER)).ifPresent(records::add);
        PrivacyLedger ledger = PrivacyLedger.EMPTY;
        for (String record : records) {
            ledger = PrivacyLedger.reconcile(ledger, PrivacyLedger.parse(record));
        }
        return ledger;
    }

    public void write(PrivacyLedger ledger) throws IOException {
        if (local.isPresent()) {
            local.get().setModelTag(model, TrainingContract.TAG_PRIVACY_LEDGER, ledger.format());
        }
        if (mlflow.isPresent()) {
            mlflow.get().setModelTag(model, TrainingContract.TAG_PRIVACY_LEDGER, ledger.format());
        }
    }
}
