package dev.sequor.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.sequor.trainer.data.LeaveOneOutSplit;
import dev.sequor.trainer.data.SyntheticData;
import dev.sequor.trainer.eval.EvalResult;
import dev.sequor.trainer.eval.Evaluator;
import dev.sequor.trainer.eval.MarkovChain;
import dev.sequor.trainer.eval.MostPopular;
import dev.sequor.trainer.model.SasRecConfig;
import dev.sequor.trainer.model.SasRecScorer;
import org.junit.jupiter.api.Test;

/** SASRec learns planted sequential structure, measured on held-out test items. */
class SasRecTrainingTest {

    private static final SasRecConfig SMALL = new SasRecConfig(32, 2, 2, 20, 0.2f, false);

    @Test
    void lossFallsAndTheModelBeatsPopularityAndMarkovOnHeldOutItems() {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(SyntheticData.generate(SyntheticData.Settings.small(7)));
        Evaluator evaluator = new Evaluator(split, 10, 100 - 1, 11);
        TrainSettings settings = new TrainSettings(40, 64, 0.005f, LossKind.CE, 64, 5, 3, SelectionMetric.NDCG_FULL, false, 42);

        SasRecTrainer.Result result = new SasRecTrainer(Device.cpu()).train(split, SMALL, settings, evaluator,
                new ProgressListener() {
                    @Override
                    public void batch(int epoch, int batch, int batches, double runningLoss) {
                    }

                    @Override
                    public void epoch(EpochReport r) {
                        System.out.printf("epoch %d loss %.4f %.1fs %s%n", r.epoch(), r.loss(), r.seconds(),
                                r.validation());
                    }
                });
        try (var model = result.model()) {
            EvalResult sasrec = evaluator.test(new SasRecScorer(result.block(), model.getNDManager()));
            EvalResult popular = evaluator.test(new MostPopular(split));
            EvalResult markov = evaluator.test(new MarkovChain(split));
            System.out.println("sasrec " + sasrec + "\npopular " + popular + "\nmarkov " + markov);

            assertThat(result.epochs().get(result.epochs().size() - 1).loss()).isLessThan(result.epochs().get(0).loss());
            assertThat(sasrec.ndcgFull()).isGreaterThan(popular.ndcgFull()).isGreaterThan(markov.ndcgFull() + 0.05);
            // The data's users switch between two interests; only a sequence model keeps both in its top 10.
            assertThat(sasrec.hitRateFull()).isGreaterThan(markov.hitRateFull() + 0.05);
        }
    }

    /**
     * BERT4Rec, trained only to fill in masked items, answers the next item by the mask token put
     * after the history, well above what popularity and a first-order Markov chain get.
     */
    @Test
    void bert4RecLearnsTheNextItemFromTheClozeTask() {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(SyntheticData.generate(SyntheticData.Settings.small(7)));
        Evaluator evaluator = new Evaluator(split, 10, 100 - 1, 11);
        TrainSettings settings = new TrainSettings(40, 64, 0.005f, LossKind.CE, 64, 5, 3, SelectionMetric.NDCG_FULL, false, 42);
        SasRecConfig bert4rec = SasRecConfig.bidirectional(32, 2, 2, 20, 0.2f, false, 0.2f);

        SasRecTrainer.Result result = new SasRecTrainer(Device.cpu()).train(split, bert4rec, settings, evaluator,
                ProgressListener.SILENT);
        try (var model = result.model()) {
            EvalResult bert = evaluator.test(new SasRecScorer(result.block(), model.getNDManager()));
            EvalResult popular = evaluator.test(new MostPopular(split));
            EvalResult markov = evaluator.test(new MarkovChain(split));
            System.out.println("bert4rec " + bert + "\npopular " + popular + "\nmarkov " + markov);

            assertThat(result.epochs().get(result.epochs().size() - 1).loss()).isLessThan(result.epochs().get(0).loss());
            assertThat(bert.ndcgFull()).isGreaterThan(popular.ndcgFull() + 0.2).isGreaterThan(markov.ndcgFull());
        }
    }

    /** Length buckets change how batches are cut, not what the model learns. */
    @Test
    void lengthBucketsLearnThePlantedStructureToo() {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(SyntheticData.generate(SyntheticData.Settings.small(7)));
        Evaluator evaluator = new Evaluator(split, 10, 100 - 1, 11);
        TrainSettings settings = new TrainSettings(15, 64, 0.005f, LossKind.BCE, 64, 5, 3, SelectionMetric.NDCG_FULL, true, 42);

        SasRecTrainer.Result result = new SasRecTrainer(Device.cpu()).train(split, SMALL, settings, evaluator,
                ProgressListener.SILENT);
        try (var model = result.model()) {
            EvalResult sasrec = evaluator.test(new SasRecScorer(result.block(), model.getNDManager()));
            EvalResult popular = evaluator.test(new MostPopular(split));

            assertThat(result.epochs().get(result.epochs().size() - 1).loss()).isLessThan(result.epochs().get(0).loss());
            assertThat(sasrec.ndcgFull()).isGreaterThan(popular.ndcgFull() + 0.2);
        }
    }
}
