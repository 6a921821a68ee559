package dev.sequor.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.sequor.trainer.data.LeaveOneOutSplit;
import dev.sequor.trainer.data.SyntheticData;
import dev.sequor.trainer.eval.EvalResult;
import dev.sequor.trainer.eval.Evaluator;
import dev.sequor.trainer.model.SasRecConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DeterminismTest {

    private static final SasRecConfig CONFIG = new SasRecConfig(16, 1, 1, 12, 0.3f, false);

    /**
     * The default (full-width) path with every loss. (The sampled softmax's runs used to differ: the
     * backward pass read freed scalars now and then, see model/Scalars.)
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = LossKind.class, names = "AUTO", mode = EnumSource.Mode.EXCLUDE)  // AUTO resolves to one of the others
    void sameSeedGivesTheSameLossesAndMetrics(LossKind loss) {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(SyntheticData.generate(SyntheticData.Settings.small(5)));
        Evaluator evaluator = new Evaluator(split, 10, 50, 2);
        SasRecTrainer.Result first = train(split, evaluator, loss, 9);
        SasRecTrainer.Result second = train(split, evaluator, loss, 9);
        SasRecTrainer.Result other = train(split, evaluator, loss, 10);

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

    private static SasRecTrainer.Result train(LeaveOneOutSplit split, Evaluator evaluator, LossKind loss, long seed) {
        return new SasRecTrainer(Device.cpu()).train(split, CONFIG,
                new TrainSettings(6, 128, 0.005f, loss, 32, 3, 1, SelectionMetric.NDCG_FULL, false, seed), evaluator,
                ProgressListener.SILENT);
    }
}
