package dev.sequor.trainer.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.sequor.trainer.data.LeaveOneOutSplit;
import dev.sequor.trainer.eval.EvalResult;
import dev.sequor.trainer.eval.Evaluator;
import dev.sequor.trainer.model.Histories;
import dev.sequor.trainer.model.SasRecBlock;
import dev.sequor.trainer.model.SasRecConfig;
import dev.sequor.trainer.model.SasRecScorer;
import dev.sequor.trainer.model.Scalars;
import dev.sequor.trainer.privacy.DpSgdPlan;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import dev.sequor.trainer.data.ActionFeature;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Trains SASRec on the training part of a leave-one-out split (the next item at every position;
 * BERT4Rec: the masked items, see {@link Cloze}), validates every few epochs, keeps the parameters
 * of the epoch with the best validation metric (NDCG@10, full catalogue by default) and stops
 * early when it stops improving.
 */
public final class SasRecTrainer {

    private final Device device;

    public SasRecTrainer(Device device) {
        this.device = device;
    }

    /** The trained model, owned by the caller (close its model to free native memory). */
    public record Result(Model model, SasRecBlock block, List<EpochReport> epochs, int bestEpoch,
            EvalResult bestValidation) {
    }

    public Result train(LeaveOneOutSplit split, SasRecConfig config, TrainSettings settings, Evaluator evaluator,
            ProgressListener listener) {
        return train(split, config, settings, evaluator, listener, null);
    }

    /**
     * With {@code privacy}, trains with user-level DP-SGD (BCE or sampled softmax) for exactly the planned
     * epochs and keeps the last parameters: choosing an epoch, or stopping early, by the validation
     * items (users' data) would spend privacy the accountant does not count.
     */
    public Result train(LeaveOneOutSplit split, SasRecConfig config, TrainSettings settings, Evaluator evaluator,
            ProgressListener listener, DpSgdPlan privacy) {
        if (settings.loss() == LossKind.AUTO) {
            throw new IllegalArgumentException("resolve the default loss for the catalogue first (TrainSettings.forCatalogue)");
        }
        if (privacy != null && config.bidirectional()) {
            throw new IllegalArgumentException("differentially private training does not support the bidirectional "
                    + "model (BERT4Rec) yet");
        }
        if (privacy != null && !config.features().isEmpty()) {
            throw new IllegalArgumentException("differentially private training does not support time intervals or "
                    + "event types yet");
        }
        if (privacy != null && settings.loss() == LossKind.CE) {
            throw new IllegalArgumentException("differentially private training supports the BCE and sampled softmax "
                    + "losses, not " + settings.loss());
        }
        Engine.getInstance().setRandomSeed((int) settings.seed());
        SplittableRandom random = new SplittableRandom(settings.seed());
        SasRecBlock block = new SasRecBlock(config, split.items());
        Model model = Model.newInstance("sasrec", device);
        model.setBlock(block);
        Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(settings.learningRate()))
                .optBeta1(0.9f).optBeta2(0.98f).build();
        List<int[]> trainable = trainableSequences(split);
        Map<ActionFeature, List<long[]>> trainableFeatures = trainableFeatures(split, config.features());
        List<Set<Integer>> seen = seenItems(trainable);
        if (privacy != null && privacy.users() != trainable.size()) {
            throw new IllegalArgumentException("the privacy plan is for " + privacy.users() + " users, the data has "
                    + trainable.size());
        }
        DpSgdEpoch dpEpoch = privacy == null ? null : new DpSgdEpoch(privacy, trainable, config.maxLength(),
                settings.loss(), settings.sampledNegatives());

        List<EpochReport> reports = new ArrayList<>();
        int bestEpoch = 0;
        EvalResult best = null;
        byte[] bestParameters = null;
        int validationsWithoutGain = 0;
        try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss("unused"))
                .optOptimizer(adam).optDevices(new Device[] {device}))) {
            Shape input = new Shape(settings.batchSize(), config.maxLength());
            Shape[] inputs = new Shape[1 + config.features().size()];
            java.util.Arrays.fill(inputs, input);
            trainer.initialize(inputs);
            for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
                long start = System.nanoTime();
                double loss = dpEpoch != null ? dpEpoch.run(trainer, block, trainable, seen, random, epoch, listener)
                        : runEpoch(trainer, block, trainable, trainableFeatures, seen, settings, random, epoch, listener);
                double seconds = (System.nanoTime() - start) / 1e9;
                EvalResult validation = null;
                if (epoch % settings.evalEvery() == 0 || epoch == settings.epochs()) {
                    validation = evaluator.validation(new SasRecScorer(block, model.getNDManager()));
                    if (privacy != null) {
                        best = validation;
                        bestEpoch = epoch;
                    } else if (best == null || settings.selectBy().of(validation) > settings.selectBy().of(best)) {
                        best = validation;
                        bestEpoch = epoch;
                        bestParameters = save(block);
                        validationsWithoutGain = 0;
                    } else {
                        validationsWithoutGain++;
                    }
                }
                EpochReport report = new EpochReport(epoch, loss, seconds, trainable.size() / seconds, validation);
                reports.add(report);
                listener.epoch(report);
                if (validationsWithoutGain >= settings.patience()) {
                    break;
                }
            }
        }
        if (privacy == null) {
            load(block, model.getNDManager(), bestParameters);
        }
        return new Result(model, block, reports, bestEpoch, best);
    }

    private double runEpoch(Trainer trainer, SasRecBlock block, List<int[]> sequences,
            Map<ActionFeature, List<long[]>> features, List<Set<Integer>> seen, TrainSettings settings, SplittableRandom random, int epoch,
            ProgressListener listener) {
        int maxLength = block.config().maxLength();
        List<int[]> plan = LengthBuckets.batches(sequences, settings.batchSize(), maxLength,
                settings.lengthBuckets() ? LengthBuckets.WINDOW_BATCHES : 1, random);
        int batches = plan.size();
        // With length buckets, batches hold very different numbers of positions; dividing every batch's
        // summed loss by the same average keeps each position's weight what random batches give it.
        double positionsPerBatch = (double) LengthBuckets.positions(sequences, maxLength) / batches;
        double lossSum = 0;
        long positions = 0;
        for (int b = 0; b < batches; b++) {
            int[] users = plan.get(b);
            int rows = users.length;
            int length = settings.lengthBuckets()
                    ? LengthBuckets.inputLength(sequences, users, maxLength) : maxLength;
            long[] input = new long[rows * length];
            long[] targets = new long[rows * length];
            long[] negatives = new long[rows * length];
            List<long[]> featureInputs = new ArrayList<>();
            for (ActionFeature f : block.config().features()) {
                long[] values = new long[rows * length];
                for (int r = 0; r < rows; r++) {
                    Histories.leftPad(features.get(f).get(users[r]), 0, sequences.get(users[r]).length - 1, values, r,
                            length);
                }
                featureInputs.add(values);
            }
            for (int r = 0; r < rows; r++) {
                int user = users[r];
                int[] s = sequences.get(user);
                if (block.config().bidirectional()) {
                    Histories.leftPad(s, 0, s.length, input, r, length);
                    Cloze.mask(input, targets, r, length, block.config().maskProbability(),
                            SasRecConfig.maskToken(block.items()), random);
                } else {
                    Histories.leftPad(s, 0, s.length - 1, input, r, length);
                    Histories.leftPad(s, 1, s.length, targets, r, length);
                }
                for (int i = r * length; i < (r + 1) * length; i++) {
                    if (targets[i] != 0) {
                        negatives[i] = negative(block.items(), seen.get(user), random);
                        positions++;
                    }
                }
            }
            // The batch's arrays (the autograd graph included) live until the optimizer step is done.
            try (NDManager m = trainer.getManager().newSubManager()) {
                float batchLoss;
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDArray history = m.create(input, new Shape(rows, length));
                    NDArray target = m.create(targets, new Shape(rows, length));
                    NDList inputs = new NDList(history);
                    for (long[] values : featureInputs) {
                        inputs.add(m.create(values, new Shape(rows, length)));
                    }
                    NDArray hidden = trainer.forward(inputs).singletonOrThrow();
                    NDArray itemEmbedding = block.outputEmbedding();
                    NDArray summed = switch (settings.loss()) {
                        case BCE -> bce(hidden, target, m.create(negatives, new Shape(rows, length)), itemEmbedding);
                        case CE -> fullSoftmax(hidden, target, itemEmbedding);
                        case SAMPLED_SOFTMAX -> sampledSoftmax(hidden, target, itemEmbedding,
                                sampleShared(block.items(), settings.sampledNegatives(), random, m));
                        case AUTO -> throw new IllegalStateException("unresolved default loss");
                    };
                    collector.backward(Scalars.dividedBy(summed, (float) positionsPerBatch));
                    batchLoss = summed.getFloat();
                }
                if (!Float.isFinite(batchLoss)) {
                    throw new IllegalStateException("training diverged: loss is " + batchLoss + " in epoch " + epoch
                            + ", batch " + (b + 1) + "; lower --lr or raise --dropout");
                }
                trainer.step();
                lossSum += batchLoss;
            }
            listener.batch(epoch, b + 1, batches, lossSum / positions);
        }
        return lossSum / positions;
    }

    /** -log σ(h·e_next) - log(1 - σ(h·e_neg)), summed over real (non-padding) positions. */
    private static NDArray bce(NDArray hidden, NDArray target, NDArray negative, NDArray itemEmbedding) {
        NDArray pos = hidden.mul(embed(target, itemEmbedding)).sum(new int[] {-1});
        NDArray neg = hidden.mul(embed(negative, itemEmbedding)).sum(new int[] {-1});
        NDArray perPosition = Activation.softPlus(pos.neg()).add(Activation.softPlus(neg));
        return perPosition.mul(real(target)).sum();
    }

    /** Softmax over the whole catalogue but padding, summed over real positions. */
    private static NDArray fullSoftmax(NDArray hidden, NDArray target, NDArray itemEmbedding) {
        NDArray logits = hidden.reshape(-1, hidden.getShape().get(2)).matMul(itemEmbedding.transpose());
        NDArray paddingColumn = logits.getManager().zeros(new Shape(1, logits.getShape().get(1)));
        paddingColumn.set(new NDIndex("0, 0"), SasRecBlock.MASKED);
        NDArray next = target.reshape(-1, 1);
        return logits.add(paddingColumn).logSoftmax(1).gather(next, 1).neg().mul(real(next)).sum();
    }

    /** The next item against shared negatives (a negative that is the next item is masked out). */
    private static NDArray sampledSoftmax(NDArray hidden, NDArray target, NDArray itemEmbedding, NDArray negatives) {
        NDArray flatHidden = hidden.reshape(-1, hidden.getShape().get(2));
        NDArray next = target.reshape(-1, 1);
        NDArray positive = flatHidden.mul(embed(next.squeeze(1), itemEmbedding)).sum(new int[] {-1}).expandDims(1);
        NDArray negativeLogits = flatHidden.matMul(embed(negatives, itemEmbedding).transpose());
        NDArray accidentalHit = Scalars.times(next.eq(negatives.expandDims(0)).toType(DataType.FLOAT32, false),
                SasRecBlock.MASKED);
        NDArray logits = positive.concat(negativeLogits.add(accidentalHit), 1);
        NDArray first = next.getManager().zeros(next.getShape(), DataType.INT64);
        return logits.logSoftmax(1).gather(first, 1).neg().mul(real(next)).sum();
    }

    private static NDArray real(NDArray target) {
        return target.gt(0).toType(DataType.FLOAT32, false);
    }

    private static NDArray embed(NDArray indices, NDArray itemEmbedding) {
        return Embedding.embedding(indices, itemEmbedding, SparseFormat.DENSE).singletonOrThrow();
    }

    private static NDArray sampleShared(int items, int count, SplittableRandom random, NDManager m) {
        long[] sample = new long[count];
        for (int i = 0; i < count; i++) {
            sample[i] = 1 + random.nextInt(items);
        }
        return m.create(sample);
    }

    /** How many users training learns from (each one a unit of differential privacy). */
    public static int trainableUsers(LeaveOneOutSplit split) {
        return trainableSequences(split).size();
    }

    /** Users with at least two training actions: one input and one target. */
    private static List<int[]> trainableSequences(LeaveOneOutSplit split) {
        List<int[]> out = new ArrayList<>();
        for (int[] s : split.trainingSequences()) {
            if (s.length >= 2) {
                out.add(s);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no user has two or more training actions");
        }
        return out;
    }

    /** The features of {@link #trainableSequences} that the model reads, parallel to them. */
    private static Map<ActionFeature, List<long[]>> trainableFeatures(LeaveOneOutSplit split,
            List<ActionFeature> read) {
        List<int[]> sequences = split.trainingSequences();
        Map<ActionFeature, List<long[]>> out = new EnumMap<>(ActionFeature.class);
        for (ActionFeature f : read) {
            List<long[]> all = split.trainingFeature(f);
            List<long[]> kept = new ArrayList<>();
            for (int u = 0; u < sequences.size(); u++) {
                if (sequences.get(u).length >= 2) {
                    kept.add(all.get(u));
                }
            }
            out.put(f, kept);
        }
        return out;
    }

    private static List<Set<Integer>> seenItems(List<int[]> sequences) {
        List<Set<Integer>> out = new ArrayList<>();
        for (int[] s : sequences) {
            Set<Integer> set = new HashSet<>();
            for (int item : s) {
                set.add(item);
            }
            out.add(set);
        }
        return out;
    }

    /** A random item the user has not seen (any item when the user has seen them all). */
    static long negative(int items, Set<Integer> seen, SplittableRandom random) {
        if (seen.size() >= items) {
            return 1 + random.nextInt(items);
        }
        int candidate;
        do {
            candidate = 1 + random.nextInt(items);
        } while (seen.contains(candidate));
        return candidate;
    }

    private static byte[] save(SasRecBlock block) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void load(SasRecBlock block, NDManager manager, byte[] parameters) {
        if (parameters == null) {
            return;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(parameters))) {
            block.loadParameters(manager, in);
        } catch (IOException | ai.djl.MalformedModelException e) {
            throw new IllegalStateException("cannot restore the best epoch's parameters", e);
        }
    }
}
