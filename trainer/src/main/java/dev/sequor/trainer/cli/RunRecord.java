package dev.sequor.trainer.cli;

import dev.sequor.modelpackage.OnnxSignature;
import dev.sequor.modelpackage.PackageMetadata;
import dev.sequor.trainer.data.Interactions;
import dev.sequor.trainer.data.LeaveOneOutSplit;
import dev.sequor.trainer.eval.EvalResult;
import dev.sequor.trainer.privacy.DpSgdPlan;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a training run records about itself, from its options, data and results: the MLflow
 * parameters and tags and the model package's metadata.
 */
final class RunRecord {

    private RunRecord() {
    }

    static Map<String, String> tags(Interactions data, EvalResult test) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("sequor.data_fingerprint", data.fingerprint());
        tags.put("sequor.test_ndcg10_full", String.format(Locale.ROOT, "%.4f", test.ndcgFull()));
        tags.put("sequor.test_hr10_full", String.format(Locale.ROOT, "%.4f", test.hitRateFull()));
        tags.put("sequor.code_version", TrainingJob.VERSION);
        tags.put("sequor.format_version", Integer.toString(PackageMetadata.FORMAT_VERSION));
        return tags;
    }

    static Map<String, Object> params(TrainOptions o, LeaveOneOutSplit split, Interactions data) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("hidden", o.model().hidden());
        p.put("blocks", o.model().blocks());
        p.put("heads", o.model().heads());
        p.put("max_length", o.model().maxLength());
        p.put("dropout", o.model().dropout());
        p.put("pre_layer_norm", o.model().preLayerNorm());
        p.put("time_span", o.model().timeSpan());
        p.put("events", o.model().readsEvents());
        p.put("mask_probability", o.model().maskProbability());
        p.put("epochs", o.training().epochs());
        p.put("batch_size", o.training().batchSize());
        p.put("learning_rate", o.training().learningRate());
        p.put("loss", o.training().loss().label());
        p.put("select_by", o.training().selectBy().label());
        p.put("length_buckets", o.training().lengthBuckets());
        p.put("seed", o.training().seed());
        p.put("users", split.users());
        p.put("items", split.items());
        p.put("data_fingerprint", data.fingerprint());
        return p;
    }

    /** The feedback read beside the base data, for the package's data source (its fingerprint covers both). */
    private static String feedbackSource(TrainOptions o) {
        return o.feedbackLog() != null ? " + feedback " + o.feedbackLog()
                : o.feedbackKafka() != null ? " + feedback kafka " + o.feedbackKafka() + "/" + o.feedbackTopic() : "";
    }

    static Map<String, Object> privacyParams(DpSgdPlan p) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("dp_epsilon", p.spent().epsilon());
        params.put("dp_delta", p.delta());
        params.put("dp_noise_multiplier", p.noiseMultiplier());
        params.put("dp_sample_rate", p.sampleRate());
        params.put("dp_steps", p.steps());
        params.put("dp_max_grad_norm", p.maxGradNorm());
        params.put("dp_unit", "user");
        return params;
    }

    private static PackageMetadata.Privacy privacyMetadata(DpSgdPlan p) {
        return p == null ? PackageMetadata.Privacy.NONE : new PackageMetadata.Privacy(true, p.spent().epsilon(),
                p.delta(), "user", p.noiseMultiplier(), p.sampleRate(), p.steps(), p.maxGradNorm(), DpSgdPlan.ACCOUNTANT);
    }

    static PackageMetadata metadata(TrainOptions o, LeaveOneOutSplit split, Interactions data,
            EvalResult test, EvalResult popular, EvalResult markov, int bestEpoch, DpSgdPlan privacy) {
        int length = o.model().maxLength();
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put(OnnxSignature.INPUT_HISTORY, "int64 [batch, " + length + "] item indices, left-padded with 0");
        if (o.model().readsTime()) {
            inputs.put(OnnxSignature.INPUT_TIMESTAMPS, "int64 [batch, " + length + "] epoch seconds of each history "
                    + "item, non-decreasing, aligned with history (padding's ignored)");
        }
        if (o.model().readsEvents()) {
            inputs.put(OnnxSignature.INPUT_EVENTS, "int64 [batch, " + length + "] each history item's event type, "
                    + "1.. into eventTypes, 0 for padding");
        }
        inputs.put(OnnxSignature.INPUT_EXCLUDE, "int64 [batch, n>=1] item indices never returned");
        inputs.put(OnnxSignature.INPUT_K, "int64 [1]");
        return new PackageMetadata(PackageMetadata.FORMAT_VERSION, o.modelName(), o.model().architecture(),
                Instant.now().toString(), TrainingJob.VERSION, length, split.items(), inputs,
                Map.of(OnnxSignature.OUTPUT_SCORES, "float32 [batch, k]",
                        OnnxSignature.OUTPUT_ITEMS, "int64 [batch, k] item indices"),
                params(o, split, data), bestEpoch,
                new PackageMetadata.TrainingData((o.synthetic() ? "synthetic" : o.data().toString()) + feedbackSource(o),
                        o.synthetic() ? "synthetic" : o.format().name().toLowerCase(Locale.ROOT), data.fingerprint(),
                        split.users(), (long) data.actions()),
                Map.of("protocol", "leave-one-out; full = whole catalogue minus seen items; sampled = against "
                        + Math.min(o.evalNegatives(), split.items() - 1) + " random unseen items",
                        "test", test, "baselines", Map.of("mostPopular", popular, "markovChain", markov)),
                privacyMetadata(privacy), o.model().readsEvents() ? data.eventTypes() : null);
    }
}
