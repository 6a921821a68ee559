package dev.sequor.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.sequor.modelpackage.OnnxSignature;
import dev.sequor.trainer.data.ActionFeature;
import dev.sequor.trainer.data.LeaveOneOutSplit;
import dev.sequor.trainer.data.SyntheticData;
import dev.sequor.trainer.eval.Evaluator;
import dev.sequor.trainer.model.Histories;
import dev.sequor.trainer.model.SasRecConfig;
import dev.sequor.trainer.model.SasRecScorer;
import dev.sequor.trainer.train.LossKind;
import dev.sequor.trainer.train.ProgressListener;
import dev.sequor.trainer.train.SasRecTrainer;
import dev.sequor.trainer.train.SelectionMetric;
import dev.sequor.trainer.train.TrainSettings;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The exported graph, run by ONNX Runtime, ranks like the DJL model it came from. */
class OnnxExportParityTest {

    private static final int K = 10;

    /**
     * SASRec in both layer-norm placements, TiSASRec (timestamps in, intervals computed by the
     * graph), SASRec with event types, both, and BERT4Rec (the mask token appended by the graph).
     */
    @ParameterizedTest(name = "preLayerNorm={0}, timeSpan={1}, eventTypes={2}, maskProbability={3}")
    @CsvSource({"false,0,0,0", "true,0,0,0", "false,16,0,0", "false,0,3,0", "true,16,3,0", "false,0,0,0.2",
            "true,0,0,0.2"})
    void onnxRuntimeTopKMatchesTheDjlModel(boolean preLayerNorm, int timeSpan, int eventTypes, float maskProbability)
            throws Exception {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(SyntheticData.generate(SyntheticData.Settings.small(3)));
        SasRecConfig config = new SasRecConfig(16, 2, 2, 12, 0.1f, preLayerNorm, timeSpan, eventTypes,
                maskProbability);
        SasRecTrainer.Result trained = new SasRecTrainer(Device.cpu()).train(split, config,
                // The trainer's default learning rate: at 0.005 this small model's training now and then
                // diverges to NaN in CI (not reproducible run to run; see docs/trainer.md), which is not
                // what this test is about. The parity check is unchanged.
                new TrainSettings(3, 64, 0.001f, LossKind.BCE, 16, 3, 1, SelectionMetric.NDCG_FULL, false, 5), new Evaluator(split, 10, 50, 1),
                ProgressListener.SILENT);
        try (var model = trained.model(); OrtEnvironment env = OrtEnvironment.getEnvironment();
                OrtSession session = env.createSession(
                        SasRecOnnxExporter.export(trained.block(), "test").toByteArray(), new OrtSession.SessionOptions())) {
            List<int[]> histories = new ArrayList<>();
            List<long[]> times = new ArrayList<>();
            List<long[]> events = new ArrayList<>();
            for (int u = 0; u < 40; u++) {
                histories.add(split.testHistory(u));
                times.add(split.testFeature(ActionFeature.TIMESTAMPS, u));
                events.add(split.testFeature(ActionFeature.EVENTS, u));
            }
            histories.add(new int[] {5});
            times.add(new long[] {1_800_000_000L});
            events.add(new long[] {3});
            histories.add(new int[] {5, 6, 7});
            times.add(new long[] {1000, 1000, 1000});
            events.add(new long[] {1, 1, 2});
            Map<ActionFeature, List<long[]>> features = Map.of(ActionFeature.TIMESTAMPS, times, ActionFeature.EVENTS,
                    events);
            SasRecScorer scorer = new SasRecScorer(trained.block(), model.getNDManager());
            float[][] djl = scorer.scores(histories, features);
            // The check below only means something if the scores depend on what the model reads.
            List<long[]> evenlySpaced = times.stream().map(t -> java.util.stream.LongStream.range(0, t.length)
                    .map(i -> 1000 + 60 * i).toArray()).toList();
            List<long[]> allViews = events.stream().map(e -> java.util.stream.LongStream.range(0, e.length)
                    .map(i -> 1).toArray()).toList();
            if (timeSpan > 0) {
                assertThat(scorer.scores(histories, Map.of(ActionFeature.TIMESTAMPS, evenlySpaced,
                        ActionFeature.EVENTS, events))[0]).isNotEqualTo(djl[0]);
            }
            if (eventTypes > 0) {
                assertThat(scorer.scores(histories, Map.of(ActionFeature.TIMESTAMPS, times,
                        ActionFeature.EVENTS, allViews))[0]).isNotEqualTo(djl[0]);
            }

            int length = config.maxLength();
            long[] input = Histories.leftPad(histories, length);
            long[] shape = {histories.size(), length};
            Map<String, OnnxTensor> inputs = new java.util.HashMap<>();
            inputs.put(OnnxSignature.INPUT_HISTORY, OnnxTensor.createTensor(env, LongBuffer.wrap(input), shape));
            for (ActionFeature f : config.features()) {
                inputs.put(f.input(), OnnxTensor.createTensor(env,
                        LongBuffer.wrap(Histories.leftPadFeature(features.get(f), length)), shape));
            }
            inputs.put(OnnxSignature.INPUT_EXCLUDE, OnnxTensor.createTensor(env, LongBuffer.wrap(input), shape));
            inputs.put(OnnxSignature.INPUT_K, OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {K}), new long[] {1}));
            try (OrtSession.Result result = session.run(inputs)) {
                assertThat(session.getInputNames().contains(OnnxSignature.INPUT_TIMESTAMPS)).isEqualTo(timeSpan > 0);
                assertThat(session.getInputNames().contains(OnnxSignature.INPUT_EVENTS)).isEqualTo(eventTypes > 0);
                float[][] scores = (float[][]) result.get(OnnxSignature.OUTPUT_SCORES).get().getValue();
                long[][] items = (long[][]) result.get(OnnxSignature.OUTPUT_ITEMS).get().getValue();
                for (int r = 0; r < histories.size(); r++) {
                    int[] expected = topK(djl[r], histories.get(r), length);
                    for (int i = 0; i < K; i++) {
                        assertThat(items[r][i]).as("row %d rank %d", r, i).isEqualTo(expected[i]);
                        assertThat(scores[r][i]).isCloseTo(djl[r][expected[i]], within(1e-3f));
                    }
                    int[] h = histories.get(r);
                    for (int i = Math.max(0, h.length - length); i < h.length; i++) {
                        assertThat(items[r]).as("excluded item returned").doesNotContain((long) h[i]);
                    }
                    assertThat(items[r]).doesNotContain(0L);
                    assertThat(java.util.Arrays.stream(items[r]).max().getAsLong()).isLessThanOrEqualTo(trained.block().items());
                }
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
        }
    }

    /** Best K items by the DJL scores, never padding or the (visible) history. */
    private static int[] topK(float[] scores, int[] history, int length) {
        boolean[] excluded = new boolean[scores.length];
        excluded[0] = true;
        for (int i = Math.max(0, history.length - length); i < history.length; i++) {
            excluded[history[i]] = true;
        }
        return IntStream.range(0, scores.length).filter(i -> !excluded[i]).boxed()
                .sorted(Comparator.comparing((Integer i) -> scores[i]).reversed())
                .limit(K).mapToInt(Integer::intValue).toArray();
    }
}
