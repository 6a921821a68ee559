package dev.sequor.trainer.cli;

import dev.sequor.analysis.privacy.PrivacyLedger;
import dev.sequor.trainer.data.DatasetFormat;
import dev.sequor.trainer.privacy.DpRequest;
import dev.sequor.trainer.data.LeaveOneOutSplit;
import dev.sequor.trainer.model.SasRecConfig;
import dev.sequor.trainer.train.LossKind;
import dev.sequor.trainer.train.SelectionMetric;
import dev.sequor.trainer.train.TrainSettings;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The trainer's command line, parsed by picocli. */
public record TrainOptions(
        Path data, DatasetFormat format, boolean synthetic, int syntheticUsers, int syntheticItems,
        LeaveOneOutSplit.ShortUsers shortUsers, Path feedbackLog, String feedbackKafka, String feedbackTopic,
        java.util.Set<String> feedbackEvents, Path output, Path registry, String mlflow, String experiment, String modelName,
        String alias, String compareWith, double maxRegression, java.util.Map<String, String> tags, SasRecConfig model,
        TrainSettings training, DpRequest privacy, int evalNegatives, String device, int threads,
        boolean readEvents) {

    /** These options with other training settings (the default loss resolved for the data). */
    public TrainOptions withTraining(TrainSettings settings) {
        return new TrainOptions(data, format, synthetic, syntheticUsers, syntheticItems, shortUsers, feedbackLog,
                feedbackKafka, feedbackTopic, feedbackEvents, output, registry, mlflow, experiment, modelName, alias,
                compareWith, maxRegression, tags, model, settings, privacy, evalNegatives, device, threads, readEvents);
    }

    /** These options with another model (the event types resolved for the data). */
    public TrainOptions withModel(SasRecConfig config) {
        return new TrainOptions(data, format, synthetic, syntheticUsers, syntheticItems, shortUsers, feedbackLog,
                feedbackKafka, feedbackTopic, feedbackEvents, output, registry, mlflow, experiment, modelName, alias,
                compareWith, maxRegression, tags, config, training, privacy, evalNegatives, device, threads, readEvents);
    }

    /** The usage text picocli builds from the options below. */
    public static final String USAGE = new CommandLine(new Cli()).getUsageMessage(CommandLine.Help.Ansi.OFF);

    /** Parses the command line; a {@link UsageException} says what is wrong with it. */
    public static TrainOptions parse(String[] args) {
        Cli c = new Cli();
        try {
            new CommandLine(c).setTrimQuotes(true).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new UsageException(e.getMessage());
        }
        return c.validated();
    }

    @Command(name = "train", usageHelpWidth = 100, sortOptions = false,
            customSynopsis = "train (--data FILE [--format sasrec|movielens|csv] | --synthetic) [options]",
            description = "Trains a SASRec on interactions, evaluates it leave-one-out against baselines, exports it "
                    + "to ONNX and registers the model package.",
            footer = {"", "Where the model goes: one of --registry, --mlflow, --output "
                    + "(default --registry .sequor/registry)."})
    static final class Cli {
        // Data
        @Option(names = "--data", paramLabel = "FILE", description = "interactions: sasrec 'user item' lines in time "
                + "order (default format), movielens u.data, or csv/tsv with header user,item,timestamp[,event]")
        Path data;
        @Option(names = "--format", paramLabel = "sasrec|movielens|csv", converter = FormatConverter.class,
                description = "format of --data (default sasrec)")
        DatasetFormat format = DatasetFormat.SASREC;
        @Option(names = "--synthetic", description = "generate users with planted sequential habits (--users, --items)")
        boolean synthetic;
        @Option(names = "--users", paramLabel = "N", converter = WholeNumber.class, description = "synthetic users (default 1000)")
        int users = 1000;
        @Option(names = "--items", paramLabel = "N", converter = WholeNumber.class, description = "synthetic items (default 100)")
        int items = 100;
        @Option(names = "--short-users", paramLabel = "fail|drop|train-only", converter = ShortUsersConverter.class,
                description = "users with fewer than 3 actions: stop (default), leave out, or train on them without "
                        + "evaluating them (as the SASRec paper's code does)")
        LeaveOneOutSplit.ShortUsers shortUsers = LeaveOneOutSplit.ShortUsers.FAIL;
        @Option(names = "--feedback-log", paramLabel = "DIR", description = "also learn from live feedback: the runtime's "
                + "durable feedback log (SEQUOR_FEEDBACK_LOG_DIR), each event once, appended after each user's actions")
        Path feedbackLog;
        @Option(names = "--feedback-kafka", paramLabel = "HOST:PORT[,...]", description = "also learn from live "
                + "feedback in Kafka (with --feedback-topic): the topic as it is when the run starts, each event once")
        String feedbackKafka;
        @Option(names = "--feedback-topic", paramLabel = "TOPIC", description = "the model's feedback topic "
                + "(SEQUOR_FEEDBACK_KAFKA_TOPIC of its routers)")
        String feedbackTopic;
        @Option(names = "--feedback-events", paramLabel = "TYPES", split = ",",
                description = "feedback event types that count as actions (default click,interaction)")
        java.util.List<String> feedbackEvents = java.util.List.of("click", "interaction");
        // Where the model goes
        @Option(names = "--registry", paramLabel = "DIR", description = "local directory registry: DIR/<model>/versions/<n>")
        Path registry;
        @Option(names = "--mlflow", paramLabel = "URL",
                description = "MLflow tracking server: run, metrics, artifacts, model version")
        String mlflow;
        @Option(names = "--output", paramLabel = "DIR", description = "just write the model package to DIR")
        Path output;
        @Option(names = "--model-name", paramLabel = "NAME",
                description = "registered model name (default: from the data file name)")
        String name;
        @Option(names = "--alias", paramLabel = "NAME", description = "point this alias (e.g. champion) at the new version")
        String alias;
        @Option(names = "--compare-with", paramLabel = "ALIAS", description = "evaluate the version this alias points "
                + "at (e.g. champion) on the same held-out data; register nothing and exit 3 when the new model is "
                + "worse by more than --max-regression")
        String compareWith;
        @Option(names = "--max-regression", paramLabel = "X", converter = Decimal.class,
                description = "how much lower NDCG@10 (full catalogue) than the compared version is allowed (default 0)")
        double maxRegression = 0;
        @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "a tag of the registered version (repeatable)")
        java.util.Map<String, String> tags = new java.util.LinkedHashMap<>();
        @Option(names = "--experiment", paramLabel = "NAME", description = "MLflow experiment (default sequor)")
        String experiment = "sequor";
        // Model (SASRec paper defaults)
        @Option(names = "--hidden", paramLabel = "N", converter = WholeNumber.class, description = "hidden size (default 50)")
        int hidden = 50;
        @Option(names = "--blocks", paramLabel = "N", converter = WholeNumber.class, description = "self-attention blocks (default 2)")
        int blocks = 2;
        @Option(names = "--heads", paramLabel = "N", converter = WholeNumber.class, description = "attention heads (default 1)")
        int heads = 1;
        @Option(names = "--max-length", paramLabel = "N", converter = WholeNumber.class, description = "history length (default 50)")
        int maxLength = 50;
        @Option(names = "--dropout", paramLabel = "X", converter = Decimal.class, description = "dropout rate (default 0.5)")
        double dropout = 0.5;
        @Option(names = "--pre-ln", arity = "0..1", description = "layer norm before attention and feed-forward")
        boolean preLn;
        @Option(names = "--time-span", paramLabel = "K", converter = WholeNumber.class,
                description = "TiSASRec: read the time between actions, in units of the user's smallest gap, "
                        + "clipped at K (the paper: 256; default 0: SASRec, order only)")
        int timeSpan;
        @Option(names = "--events", arity = "0..1", description = "read each action's event type (a csv's event column; movielens: "
                + "rated or liked (4-5 stars); --synthetic: view, cart, purchase): its embedding is added to the item's")
        boolean events;
        @Option(names = "--bert4rec", arity = "0..1", description = "BERT4Rec: attention in both directions, trained to fill in "
                + "masked items (the Cloze task); reads items only")
        boolean bert4rec;
        @Option(names = "--mask-probability", paramLabel = "X", converter = Decimal.class,
                description = "BERT4Rec: the share of items masked in training (default 0.2)")
        double maskProbability = 0.2;
        // Training
        @Option(names = "--epochs", paramLabel = "N", converter = WholeNumber.class, description = "most epochs (default 200)")
        int epochs = 200;
        @Option(names = "--batch-size", paramLabel = "N", converter = WholeNumber.class, description = "users per batch (default 128)")
        int batch = 128;
        @Option(names = "--lr", paramLabel = "X", converter = Decimal.class, description = "Adam learning rate (default 0.001)")
        double lr = 0.001;
        @Option(names = "--loss", paramLabel = "auto|ce|sampled-softmax|bce", converter = LossConverter.class,
                description = "training loss (default auto: ce up to " + LossKind.FULL_SOFTMAX_MAX_ITEMS
                        + " items, sampled-softmax above and with --dp-epsilon; bce is the paper's)")
        LossKind loss = LossKind.AUTO;
        @Option(names = "--negatives", paramLabel = "N", converter = WholeNumber.class,
                description = "negatives per position with sampled softmax (default 256)")
        int negatives = 256;
        @Option(names = "--eval-every", paramLabel = "N", converter = WholeNumber.class, description = "epochs between validations (20)")
        int evalEvery = 20;
        @Option(names = "--patience", paramLabel = "N", converter = WholeNumber.class,
                description = "validations without improvement before stopping (3)")
        int patience = 3;
        @Option(names = "--select-by", paramLabel = "ndcg-full|ndcg-sampled", converter = SelectionConverter.class,
                description = "validation metric for the best epoch (ndcg-full)")
        SelectionMetric selectBy = SelectionMetric.NDCG_FULL;
        @Option(names = "--length-buckets", arity = "0..1", description = "batch users by history length, cut padding (faster on "
                + "sparse data; not bit-reproducible from run to run)")
        boolean lengthBuckets;
        // Differential privacy
        @Option(names = "--dp-epsilon", paramLabel = "X", converter = Decimal.class, description = "train with "
                + "user-level DP-SGD to this epsilon (noise calibrated; sampled-softmax or bce loss; every epoch "
                + "run, the last kept)")
        Double dpEpsilon;
        @Option(names = "--dp-delta", paramLabel = "X", converter = Decimal.class,
                description = "delta of the DP guarantee, below 1/users (default 1e-6)")
        Double dpDelta;
        @Option(names = "--max-grad-norm", paramLabel = "X", converter = Decimal.class,
                description = "DP-SGD clip: each user's gradient's L2 norm at most (default 1.0)")
        Double maxGradNorm;
        @Option(names = "--privacy-budget", paramLabel = "X", converter = Decimal.class, description = "epsilon for "
                + "the data over all runs: refuse to train (exit 4) when the earlier runs and this one would exceed it")
        Double privacyBudget;
        @Option(names = "--privacy-spent", paramLabel = "Q:SIGMA:STEPS", split = ";",
                description = "earlier DP-SGD runs on the same data, composed with this one (repeatable)")
        java.util.List<String> privacySpent = new java.util.ArrayList<>();
        @Option(names = "--seed", paramLabel = "N", converter = WholeNumber.class, description = "random seed (default 42)")
        int seed = 42;
        @Option(names = "--eval-negatives", paramLabel = "N", converter = WholeNumber.class,
                description = "sampled negatives per evaluated user (default 100)")
        int evalNegatives = 100;
        @Option(names = "--device", paramLabel = "cpu|gpu", description = "where to train (default cpu)")
        String device = "cpu";
        @Option(names = "--threads", paramLabel = "N", converter = WholeNumber.class, description = "CPU threads (default: all cores)")
        int threads = Runtime.getRuntime().availableProcessors();

        TrainOptions validated() {
            if ((data == null) == !synthetic) {
                throw new UsageException("give either --data FILE or --synthetic");
            }
            atLeast("--users", users, 3);
            atLeast("--items", items, 10);
            for (var min1 : new Object[][] {{"--hidden", hidden}, {"--blocks", blocks}, {"--heads", heads},
                    {"--max-length", maxLength}, {"--epochs", epochs}, {"--batch-size", batch},
                    {"--negatives", negatives}, {"--eval-every", evalEvery}, {"--patience", patience},
                    {"--eval-negatives", evalNegatives}, {"--threads", threads}}) {
                atLeast((String) min1[0], (Integer) min1[1], 1);
            }
            atLeast("--seed", seed, 0);
            atLeast("--time-span", timeSpan, 0);
            if (timeSpan > 0 && format == DatasetFormat.SASREC && data != null) {
                throw new UsageException("--time-span needs each action's time; the sasrec format has order only "
                        + "(use --format movielens or csv)");
            }
            if ((timeSpan > 0 || events) && dpEpsilon != null) {
                throw new UsageException((timeSpan > 0 ? "--time-span" : "--events") + " does not go with "
                        + "--dp-epsilon yet (DP-SGD clips SASRec's parameters per user, not the interval or event "
                        + "embeddings)");
            }
            if (bert4rec && dpEpsilon != null) {
                throw new UsageException("--bert4rec does not go with --dp-epsilon yet (DP-SGD's per-user clipping "
                        + "is built for the left-to-right model)");
            }
            if (maskProbability <= 0 || maskProbability >= 1) {
                throw new UsageException("--mask-probability is between 0 and 1 (exclusive), got " + maskProbability);
            }
            if (events && !synthetic && format == DatasetFormat.SASREC) {
                throw new UsageException("--events needs each action's event type: a csv with an 'event' column, "
                        + "movielens (ratings of 4 and 5 are 'liked', others 'rated'), or --synthetic");
            }
            if (maxRegression < 0 || maxRegression > 1) {
                throw new UsageException("--max-regression is between 0 and 1, got " + maxRegression);
            }
            if (feedbackLog != null && feedbackKafka != null) {
                throw new UsageException("give only one of --feedback-log and --feedback-kafka");
            }
            if ((feedbackKafka == null) != (feedbackTopic == null)) {
                throw new UsageException("--feedback-kafka and --feedback-topic go together");
            }
            DpRequest privacy = privacy();
            if (compareWith != null && output != null) {
                throw new UsageException("--compare-with needs a registry (--registry or --mlflow), not --output");
            }
            if (!device.equals("cpu") && !device.equals("gpu")) {
                throw new UsageException("--device is cpu or gpu, got '" + device + "'");
            }
            int destinations = (output != null ? 1 : 0) + (registry != null ? 1 : 0) + (mlflow != null ? 1 : 0);
            if (destinations > 1) {
                throw new UsageException("give only one of --output, --registry and --mlflow");
            }
            Path where = destinations == 0 ? Path.of(".sequor", "registry") : registry;
            String model = name != null ? modelName(name)
                    : synthetic ? "synthetic-sasrec" : modelName(stem(data) + "-sasrec");
            try {
                for (String type : feedbackEvents) {
                    if (!dev.sequor.contract.Metrics.EVENT_TYPES.contains(type)) {
                        throw new UsageException("--feedback-events: '" + type + "' is not one of "
                                + dev.sequor.contract.Metrics.EVENT_TYPES);
                    }
                }
                return new TrainOptions(data, format, synthetic, users, items, shortUsers, feedbackLog, feedbackKafka,
                        feedbackTopic,
                        java.util.Set.copyOf(feedbackEvents), output, where, mlflow,
                        experiment, model, alias, compareWith, maxRegression, java.util.Map.copyOf(tags),
                        new SasRecConfig(hidden, blocks, heads, maxLength, (float) dropout, preLn, timeSpan, 0,
                                bert4rec ? (float) maskProbability : 0f),
                        new TrainSettings(epochs, batch, (float) lr, loss, negatives, evalEvery, patience, selectBy,
                                lengthBuckets, seed), privacy, evalNegatives, device, threads, events);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }

        private DpRequest privacy() {
            if (dpEpsilon == null) {
                if (dpDelta != null || maxGradNorm != null || privacyBudget != null || !privacySpent.isEmpty()) {
                    throw new UsageException("--dp-delta, --max-grad-norm, --privacy-budget and --privacy-spent need "
                            + "--dp-epsilon");
                }
                return null;
            }
            if (!(dpEpsilon > 0)) {
                throw new UsageException("--dp-epsilon must be positive, got " + dpEpsilon);
            }
            double delta = dpDelta != null ? dpDelta : 1e-6;
            if (!(delta > 0 && delta < 1)) {
                throw new UsageException("--dp-delta must be between 0 and 1 (exclusive), got " + delta);
            }
            double clip = maxGradNorm != null ? maxGradNorm : 1.0;
            if (!(clip > 0)) {
                throw new UsageException("--max-grad-norm must be positive, got " + clip);
            }
            if (privacyBudget != null && !(privacyBudget > 0)) {
                throw new UsageException("--privacy-budget must be positive, got " + privacyBudget);
            }
            if (loss == LossKind.CE) {
                throw new UsageException("--dp-epsilon trains with the bce or sampled-softmax loss (per-user clipping "
                        + "of the full softmax's output layer is not built); use --loss sampled-softmax");
            }
            if (lengthBuckets) {
                throw new UsageException("--length-buckets does not apply to DP-SGD: its batches are Poisson samples "
                        + "of the users");
            }
            try {
                return new DpRequest(dpEpsilon, delta, clip, privacyBudget,
                        PrivacyLedger.parse(String.join(";", privacySpent)));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--privacy-spent: " + e.getMessage());
            }
        }

        private static void atLeast(String option, int value, int min) {
            if (value < min) {
                throw new UsageException(option + " must be at least " + min + ", got " + value);
            }
        }
    }

    /** Whole numbers, with the option named in the message. */
    static final class WholeNumber implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String v) {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("needs a whole number, got '" + v + "'");
            }
        }
    }

    static final class Decimal implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String v) {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("needs a number, got '" + v + "'");
            }
        }
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<DatasetFormat> {
        @Override
        public DatasetFormat convert(String v) {
            try {
                return DatasetFormat.parse(v);
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class LossConverter implements CommandLine.ITypeConverter<LossKind> {
        @Override
        public LossKind convert(String v) {
            try {
                return LossKind.parse(v);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("unknown loss '" + v + "'; use auto, ce, sampled-softmax or bce");
            }
        }
    }

    static final class SelectionConverter implements CommandLine.ITypeConverter<SelectionMetric> {
        @Override
        public SelectionMetric convert(String v) {
            try {
                return SelectionMetric.parse(v);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("unknown --select-by '" + v
                        + "'; use ndcg-full or ndcg-sampled");
            }
        }
    }

    static final class ShortUsersConverter implements CommandLine.ITypeConverter<LeaveOneOutSplit.ShortUsers> {
        @Override
        public LeaveOneOutSplit.ShortUsers convert(String v) {
            try {
                return LeaveOneOutSplit.ShortUsers.parse(v);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("--short-users is fail, drop or train-only, got '"
                        + v + "'");
            }
        }
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
