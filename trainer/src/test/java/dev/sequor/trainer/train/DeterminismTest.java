package dev.sequor.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.sequor.trainer.data.LeaveOneOutSplit;
import dev.sequor.trainer.data.SyntheticData;
import dev.sequor.trainer.eval.EvalResult;
import dev.sequor.trainer.eval.Evaluator;
import dev.sequor.trainer.model.SasRecConfig;
import org.junit.jupiter.api.Test;

class DeterminismTest {

    private static final SasRecConfig CONFIG = new SasRecConfig(16, 1, 1, 12, 0.3f, false);

    @Test
    void sameSeedGivesTheSameLossesAndMetrics() {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(SyntheticData.generate(SyntheticData.Settings.small(5)));
        Evaluator evaluator = new Evaluator(split, 10, 50, 2);
        SasRecTrainer.Result first = train(split, evaluator, 9);
        SasRecTrainer.Result second = train(split, evaluator, 9);
        SasRecTrainer.Result other = train(split, evaluator, 10);

        assertThat(second.epochs()).extracting(EpochReport::loss)
                .containsExactlyElementsOf(first.epochs().stream().map(EpochReport::loss).toList());
        EvalResult a = first.bestValidation();
        EvalResult b = second.bestValidation();
        assertThat(b).isEqualTo(a);
        assertThat(other.epochs().get(0).loss()).isNotEqualTo(first.epochs().get(0).loss());
        first.model().close();
        second.model().close();
        other.model().close();
    }

    private static SasRecTrainer.Result train(LeaveOneOutSplit split, Evaluator evaluator, long seed) {
        return new SasRecTrainer(Device.cpu()).train(split, CONFIG,
                new TrainSettings(3, 128, 0.005f, LossKind.SAMPLED_SOFTMAX, 32, 3, 1, SelectionMetric.NDCG_FULL, false, seed), evaluator,
                ProgressListener.SILENT);
    }
}
