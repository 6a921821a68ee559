package dev.sequor.trainer.cli;

import dev.sequor.trainer.data.DatasetFormat;
import dev.sequor.trainer.data.LeaveOneOutSplit;
import dev.sequor.trainer.model.SasRecConfig;
import dev.sequor.trainer.train.LossKind;
import dev.sequor.trainer.train.SelectionMetric;
import dev.sequor.trainer.train.TrainSettings;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The trainer's command line. */
public record TrainOptions(
        Path data, DatasetFormat format, boolean synthetic, int syntheticUsers, int syntheticItems,
        LeaveOneOutSplit.ShortUsers shortUsers, Path output, Path registry, String mlflow, String experiment, String modelName,
        String alias, SasRecConfig model, TrainSettings training, int evalNegatives, String device, int threads) {

    public static final String USAGE = """
            Usage: train (--data FILE [--format sasrec|movielens|csv] | --synthetic) [options]

            Data
              --data FILE            interactions: sasrec 'user item' lines in time order (default format),
                                     movielens u.data, or csv/tsv with header user,item,timestamp[,event]
              --synthetic            generate users with planted sequential habits instead (--users, --items)
              --short-users fail|drop|train-only
                                     users with fewer than 3 actions: stop (default), leave out, or train
                                     on them without evaluating them (as the SASRec paper's code does)
            Where the model goes (one; default --registry .sequor/registry)
              --registry DIR         local directory registry: DIR/<model>/versions/<n>
              --mlflow URL           MLflow tracking server: run, metrics, artifacts, model version
              --output DIR           just write the model package to DIR
              --model-name NAME      registered model name (default: from the data file name)
              --alias NAME           point this alias (e.g. champion) at the new version
              --experiment NAME      MLflow experiment (default sequor)
            Model (SASRec paper defaults)
              --hidden 50  --blocks 2  --heads 1  --max-length 50  --dropout 0.5  --pre-ln
            Training
              --epochs 200  --batch-size 128  --lr 0.001  --loss bce|ce|sampled-softmax (bce)
              --negatives 256 (sampled softmax)  --eval-every 20  --patience 3  --seed 42
              --select-by ndcg-full|ndcg-sampled (validation metric for the best epoch; ndcg-full)
              --length-buckets       batch users by history length, cut padding (faster on sparse
                                     data; not bit-reproducible from run to run)
              --eval-negatives 100  --device cpu|gpu  --threads N (default: all cores)""";

    public static TrainOptions parse(String[] args) {
        Deque<String> a = new ArrayDeque<>(List.of(args));
        Path data = null;
        DatasetFormat format = DatasetFormat.SASREC;
        boolean synthetic = false;
        int users = 1000;
        int items = 100;
        LeaveOneOutSplit.ShortUsers shortUsers = LeaveOneOutSplit.ShortUsers.FAIL;
        Path output = null;
        Path registry = null;
        String mlflow = null;
        String experiment = "sequor";
        String name = null;
        String alias = null;
        int hidden = 50;
        int blocks = 2;
        int heads = 1;
        int maxLength = 50;
        float dropout = 0.5f;
        boolean preLn = false;
        int epochs = 200;
        int batch = 128;
        float lr = 0.001f;
        LossKind loss = LossKind.BCE;
        int negatives = 256;
        int evalEvery = 20;
        int patience = 3;
        SelectionMetric selectBy = SelectionMetric.NDCG_FULL;
        boolean lengthBuckets = false;
        long seed = 42;
        int evalNegatives = 100;
        String device = "cpu";
        int threads = Runtime.getRuntime().availableProcessors();
        while (!a.isEmpty()) {
            String option = a.poll();
            switch (option) {
                case "--data" -> data = Path.of(value(a, option));
                case "--format" -> format = DatasetFormat.parse(value(a, option));
                case "--synthetic" -> synthetic = true;
                case "--users" -> users = integer(a, option, 3);
                case "--items" -> items = integer(a, option, 10);
                case "--short-users" -> shortUsers = shortUsers(value(a, option));
                case "--output" -> output = Path.of(value(a, option));
                case "--registry" -> registry = Path.of(value(a, option));
                case "--mlflow" -> mlflow = value(a, option);
                case "--experiment" -> experiment = value(a, option);
                case "--model-name" -> name = modelName(value(a, option));
                case "--alias" -> alias = value(a, option);
                case "--hidden" -> hidden = integer(a, option, 1);
                case "--blocks" -> blocks = integer(a, option, 1);
                case "--heads" -> heads = integer(a, option, 1);
                case "--max-length" -> maxLength = integer(a, option, 1);
                case "--dropout" -> dropout = (float) decimal(a, option);
                case "--pre-ln" -> preLn = true;
                case "--epochs" -> epochs = integer(a, option, 1);
                case "--batch-size" -> batch = integer(a, option, 1);
                case "--lr" -> lr = (float) decimal(a, option);
                case "--loss" -> loss = lossKind(value(a, option));
                case "--negatives" -> negatives = integer(a, option, 1);
                case "--eval-every" -> evalEvery = integer(a, option, 1);
                case "--patience" -> patience = integer(a, option, 1);
                case "--select-by" -> selectBy = selectionMetric(value(a, option));
                case "--length-buckets" -> lengthBuckets = true;
                case "--seed" -> seed = integer(a, option, 0);
                case "--eval-negatives" -> evalNegatives = integer(a, option, 1);
                case "--device" -> device = device(value(a, option));
                case "--threads" -> threads = integer(a, option, 1);
                default -> throw new UsageException("unknown option " + option);
            }
        }
        if ((data == null) == !synthetic) {
            throw new UsageException("give either --data FILE or --synthetic");
        }
        int destinations = (output != null ? 1 : 0) + (registry != null ? 1 : 0) + (mlflow != null ? 1 : 0);
        if (destinations > 1) {
            throw new UsageException("give only one of --output, --registry and --mlflow");
        }
        if (destinations == 0) {
            registry = Path.of(".sequor", "registry");
        }
        if (name == null) {
            name = synthetic ? "synthetic-sasrec" : modelName(stem(data) + "-sasrec");
        }
        try {
            return new TrainOptions(data, format, synthetic, users, items, shortUsers, output, registry, mlflow,
                    experiment, name, alias, new SasRecConfig(hidden, blocks, heads, maxLength, dropout, preLn),
                    new TrainSettings(epochs, batch, lr, loss, negatives, evalEvery, patience, selectBy,
                            lengthBuckets, seed), evalNegatives,
                    device, threads);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static String value(Deque<String> a, String option) {
        String v = a.poll();
        if (v == null || v.startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return v;
    }

    private static int integer(Deque<String> a, String option, int min) {
        String v = value(a, option);
        try {
            int n = Integer.parseInt(v);
            if (n < min) {
                throw new UsageException(option + " must be at least " + min + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " needs a whole number, got '" + v + "'");
        }
    }

    private static double decimal(Deque<String> a, String option) {
        String v = value(a, option);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException(option + " needs a number, got '" + v + "'");
        }
    }

    private static LossKind lossKind(String v) {
        try {
            return LossKind.parse(v);
        } catch (IllegalArgumentException e) {
            throw new UsageException("unknown loss '" + v + "'; use bce, ce or sampled-softmax");
        }
    }

    private static SelectionMetric selectionMetric(String v) {
        try {
            return SelectionMetric.parse(v);
        } catch (IllegalArgumentException e) {
            throw new UsageException("unknown --select-by '" + v + "'; use ndcg-full or ndcg-sampled");
        }
    }

    private static LeaveOneOutSplit.ShortUsers shortUsers(String v) {
        try {
            return LeaveOneOutSplit.ShortUsers.parse(v);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--short-users is fail, drop or train-only, got '" + v + "'");
        }
    }

    private static String device(String v) {
        if (!v.equals("cpu") && !v.equals("gpu")) {
            throw new UsageException("--device is cpu or gpu, got '" + v + "'");
        }
        return v;
    }

    private static String modelName(String v) {
        if (!v.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,254}")) {
            throw new UsageException("model name '" + v + "' must be letters, digits, '.', '_' or '-'");
        }
        return v;
    }

    private static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.indexOf('.');
        return (dot > 0 ? n.substring(0, dot) : n).replaceAll("[^A-Za-z0-9._-]", "-");
    }
}
