package dev.sequor.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequor.feedback.FeedbackEvent;
import dev.sequor.feedback.FeedbackLog;
import dev.sequor.modelpackage.PackageMetadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command a training Job and a person run: end to end into the local registry, and bad input. */
class TrainCommandTest {

    private static final String[] QUICK = {"--epochs", "3", "--eval-every", "3", "--hidden", "16", "--max-length", "12",
        "--dropout", "0.2", "--lr", "0.005"};

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void trainsExportsAndRegistersNewVersionsInTheLocalRegistry() throws IOException {
        Path registry = dir.resolve("registry");
        assertThat(run(concat(new String[] {"--synthetic", "--users", "200", "--registry", registry.toString(),
            "--model-name", "demo", "--alias", "champion"}, QUICK))).isZero();
        assertThat(run(concat(new String[] {"--synthetic", "--users", "200", "--registry", registry.toString(),
            "--model-name", "demo", "--length-buckets", "--select-by", "ndcg-sampled"}, QUICK))).isZero();

        Path v1 = registry.resolve("demo/versions/1");
        assertThat(v1.resolve("model.onnx")).isNotEmptyFile();
        assertThat(v1.resolve("items.tsv")).isNotEmptyFile();
        assertThat(Files.readString(v1.resolve("training-curves.html"))).contains("<svg").contains("Training loss");
        assertThat(registry.resolve("demo/versions/2/model.onnx")).isNotEmptyFile();
        assertThat(Files.readString(registry.resolve("demo/aliases/champion")).trim()).isEqualTo("1");

        JsonNode meta = new ObjectMapper().readTree(v1.resolve("metadata.json").toFile());
        assertThat(meta.path("formatVersion").asInt()).isEqualTo(PackageMetadata.FORMAT_VERSION);
        assertThat(meta.path("architecture").asText()).isEqualTo("sasrec");
        assertThat(meta.path("maxSequenceLength").asInt()).isEqualTo(12);
        assertThat(meta.path("itemCount").asInt()).isEqualTo(100);
        assertThat(meta.path("trainingData").path("fingerprint").asText()).hasSize(64);
        assertThat(meta.path("metrics").path("test").has("ndcgFull")).isTrue();
        assertThat(meta.path("metrics").path("baselines").has("markovChain")).isTrue();

        assertThat(out.toString()).contains("epoch 3/3").contains("Test (leave-one-out)").contains("Markov chain")
                .contains("(version 2)").contains("loss: ce (the default for 100 items)");
    }

    @Test
    void aModelWorseThanTheChampionOnTheSameHeldOutDataIsNotRegistered() throws IOException {
        Path registry = dir.resolve("registry");
        String[] common = {"--synthetic", "--users", "200", "--registry", registry.toString(), "--model-name", "demo"};
        assertThat(run(concat(concat(common, "--alias", "champion"), QUICK))).isZero();
        java.util.regex.Matcher own = java.util.regex.Pattern.compile("SASRec\\s+[0-9.]+\\s+([0-9.]+)").matcher(out.toString());
        assertThat(own.find()).isTrue();
        double championNdcg = Double.parseDouble(own.group(1));
        out.reset();

        // One epoch at a tiny learning rate: barely trained, so worse than the champion.
        String[] weak = {"--epochs", "1", "--eval-every", "1", "--hidden", "16", "--max-length", "12", "--lr", "0.00001"};
        String[] compare = {"--alias", "candidate", "--compare-with", "champion", "--tag", "sequor.trigger=manual"};
        assertThat(run(concat(concat(common, compare), weak))).isEqualTo(3);
        java.util.regex.Matcher verdict = java.util.regex.Pattern.compile(
                "new NDCG@10 ([0-9.]+) vs champion ([0-9.]+) on the same held-out data").matcher(out.toString());
        assertThat(verdict.find()).as(out.toString()).isTrue();
        // The champion's package, scored by ONNX Runtime on this run's held-out data (the same data
        // and seed as its own run), scores what its own run measured.
        assertThat(Double.parseDouble(verdict.group(2))).isCloseTo(championNdcg, org.assertj.core.data.Offset.offset(0.005));
        assertThat(Double.parseDouble(verdict.group(1))).isLessThan(Double.parseDouble(verdict.group(2)));
        assertThat(err.toString()).contains("worse, not registered");
        assertThat(registry.resolve("demo/versions/2")).doesNotExist();
        assertThat(registry.resolve("demo/aliases/candidate")).doesNotExist();

        // Allowed to be worse by up to the whole scale: registered, and the candidate alias moves.
        assertThat(run(concat(concat(common, concat(compare, "--max-regression", "1")), weak))).isZero();
        assertThat(out.toString()).contains("kept");
        assertThat(Files.readString(registry.resolve("demo/aliases/candidate")).trim()).isEqualTo("2");
        assertThat(Files.readString(registry.resolve("demo/aliases/champion")).trim()).isEqualTo("1");
    }

    @Test
    void learnsFromTheFeedbackLogToo() throws IOException {
        Path log = dir.resolve("feedback");
        try (FeedbackLog feedback = FeedbackLog.open(log, FeedbackLog.Settings.DEFAULT, java.time.Clock.systemUTC())) {
            for (String[] e : new String[][] {{"e1", "user-1", "item-5"}, {"e2", "user-1", "item-6"},
                    {"e1", "user-1", "item-5"}, {"e3", "user-9999", "item-7"}, {"e4", "user-9999", "item-8"},
                    {"e5", "user-9999", "item-7"}}) {
                feedback.append(new FeedbackEvent(1, e[0], null, e[1], e[2], "click", 1_795_000_000_000L, "demo", "1",
                        "champion").toBytes()).join();
            }
        }
        Path registry = dir.resolve("registry");
        assertThat(run(concat(new String[] {"--synthetic", "--users", "200", "--registry", registry.toString(),
            "--model-name", "demo", "--feedback-log", log.toString()}, QUICK))).as(err.toString()).isZero();
        assertThat(out.toString()).contains("feedback: 6 events read, 1 duplicates and 0 of other types left out, "
                + "5 actions of 2 users added").contains("201 users");
        JsonNode meta = new ObjectMapper().readTree(registry.resolve("demo/versions/1/metadata.json").toFile());
        assertThat(meta.path("trainingData").path("source").asText()).isEqualTo("synthetic + feedback " + log);
        assertThat(run("--synthetic", "--feedback-log", log.toString(), "--feedback-events", "purchase")).isEqualTo(2);
        assertThat(run("--synthetic", "--feedback-log", log.toString(), "--feedback-kafka", "kafka:9092",
                "--feedback-topic", "t")).isEqualTo(2);
        assertThat(err.toString()).contains("only one of --feedback-log and --feedback-kafka");
        assertThat(run("--synthetic", "--feedback-kafka", "kafka:9092")).isEqualTo(2);
        assertThat(err.toString()).contains("--feedback-kafka and --feedback-topic go together");
    }

    @Test
    void aDifferentiallyPrivateRunRecordsItsGuaranteeAndTheBudgetRefusesTheNextOne() throws Exception {
        Path registry = dir.resolve("registry");
        String[] dp = {"--synthetic", "--users", "300", "--registry", registry.toString(), "--model-name", "private",
            "--dp-epsilon", "8", "--dp-delta", "1e-4", "--max-grad-norm", "1", "--batch-size", "32",
            "--privacy-budget", "12"};
        assertThat(run(concat(dp, QUICK))).as(err.toString()).isZero();
        assertThat(out.toString()).contains("loss: sampled-softmax (the default for 100 items under DP-SGD)")
                .contains("privacy: user-level DP-SGD: epsilon 8.000 at delta 1.00e-04")
                .contains("(expected batch 32 of 300 users), 27 steps; 1 runs on this data, epsilon 8.000 in all of the budget 12.00");
        JsonNode privacy = new ObjectMapper().readTree(registry.resolve("private/versions/1/metadata.json").toFile())
                .path("privacy");
        assertThat(privacy.path("differentialPrivacy").asBoolean()).isTrue();
        assertThat(privacy.path("epsilon").asDouble()).isCloseTo(8, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(privacy.path("unit").asText()).isEqualTo("user");
        assertThat(privacy.path("steps").asLong()).as("3 epochs of round(300 / 32) steps").isEqualTo(27);
        String firstRun = privacy.path("sampleRate").asDouble() + ":" + privacy.path("noiseMultiplier").asDouble() + ":"
                + privacy.path("steps").asLong();
        // A second run of the same kind, composed with the first, goes over a budget of 10.
        out.reset();
        err.reset();
        assertThat(run(concat(new String[] {"--synthetic", "--users", "300", "--registry", registry.toString(),
            "--model-name", "private", "--dp-epsilon", "8", "--dp-delta", "1e-4", "--batch-size", "32",
            "--privacy-budget", "10", "--privacy-spent", firstRun}, QUICK))).isEqualTo(4);
        assertThat(err.toString()).contains("not trained").contains("over the budget (2.000 remaining)");
        // The registry keeps the ledger: without --privacy-spent (a lost status) the first run still counts, once.
        assertThat(Files.readString(registry.resolve("private/tags/sequor.privacy.ledger"))).isEqualTo(firstRun);
        err.reset();
        assertThat(run(concat(new String[] {"--synthetic", "--users", "300", "--registry", registry.toString(),
            "--model-name", "private", "--dp-epsilon", "8", "--dp-delta", "1e-4", "--batch-size", "32",
            "--privacy-budget", "10"}, QUICK))).isEqualTo(4);
        assertThat(err.toString()).contains("over the budget (2.000 remaining)");
        assertThat(Files.readString(registry.resolve("private/tags/sequor.privacy.ledger")))
                .as("a refused run is not recorded").isEqualTo(firstRun);
        // Settings no run can meet stop before training, with the reason.
        assertThat(run(concat(new String[] {"--synthetic", "--users", "300", "--dp-epsilon", "0.01",
            "--dp-delta", "1e-4"}, QUICK))).isEqualTo(2);
        assertThat(err.toString()).contains("cannot be reached");
        assertThat(run("--synthetic", "--dp-epsilon", "8", "--loss", "ce")).isEqualTo(2);
        assertThat(err.toString()).contains("bce or sampled-softmax loss");
        assertThat(run("--synthetic", "--max-grad-norm", "1")).isEqualTo(2);
        assertThat(err.toString()).contains("need --dp-epsilon");
    }

    @Test
    void missingFileFailsWithItsName() {
        assertThat(run("--data", dir.resolve("missing.txt").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("data file not found").contains("missing.txt");
    }

    @Test
    void malformedLineFailsWithItsNumber() throws IOException {
        Path data = Files.writeString(dir.resolve("bad.txt"), "1 2\n1 3\noops\n");
        assertThat(run("--data", data.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("line 3");
    }

    @Test
    void userWithOneEventFails() throws IOException {
        Path data = Files.writeString(dir.resolve("short.txt"), "1 2\n1 3\n1 4\n2 5\n");
        assertThat(run("--data", data.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("user '2' has 1 action");
    }

    @Test
    void emptyDatasetFails() throws IOException {
        Path data = Files.writeString(dir.resolve("empty.txt"), "");
        assertThat(run("--data", data.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no interactions");
    }

    /**
     * TiSASRec end to end: trained on synthetic data and feedback (times carried through), exported
     * with its timestamps input, and scored by ONNX Runtime with those times as the runtime serves
     * it: the champion scores what its own run measured.
     */
    @Test
    void aTimeAwareModelIsExportedWithItsTimestampsAndScoredAsServed() throws IOException {
        Path log = dir.resolve("feedback");
        try (FeedbackLog feedback = FeedbackLog.open(log, FeedbackLog.Settings.DEFAULT, java.time.Clock.systemUTC())) {
            feedback.append(new FeedbackEvent(1, "e1", null, "user-1", "item-5", "click", 1_795_000_000_000L, "demo",
                    "1", "champion").toBytes()).join();
        }
        Path registry = dir.resolve("registry");
        String[] common = {"--synthetic", "--users", "200", "--registry", registry.toString(), "--model-name", "demo",
            "--time-span", "32", "--events", "--feedback-log", log.toString()};
        assertThat(run(concat(concat(common, "--alias", "champion"), QUICK))).as(err.toString()).isZero();
        java.util.regex.Matcher own = java.util.regex.Pattern.compile("TiSASRec \\+ events\\s+[0-9.]+\\s+([0-9.]+)")
                .matcher(out.toString());
        assertThat(own.find()).as(out.toString()).isTrue();
        JsonNode meta = new ObjectMapper().readTree(registry.resolve("demo/versions/1/metadata.json").toFile());
        assertThat(meta.path("architecture").asText()).isEqualTo("tisasrec");
        assertThat(meta.path("inputs").has("timestamps")).isTrue();
        assertThat(meta.path("hyperparameters").path("time_span").asInt()).isEqualTo(32);
        assertThat(meta.path("inputs").has("events")).isTrue();
        // The feedback's click joins the data's own event types.
        assertThat(meta.path("eventTypes").toString()).isEqualTo("[\"view\",\"cart\",\"purchase\",\"click\"]");
        out.reset();
        assertTheChampionScoresWhatItsRunMeasured(common, Double.parseDouble(own.group(1)));
    }

    /**
     * BERT4Rec end to end: trained by the Cloze task, registered as a bert4rec package, and scored
     * by ONNX Runtime (whose graph appends the mask token) as its own run measured it.
     */
    @Test
    void aBidirectionalModelIsRegisteredAndScoredAsServed() throws IOException {
        Path registry = dir.resolve("registry");
        String[] common = {"--synthetic", "--users", "200", "--registry", registry.toString(), "--model-name", "demo",
            "--bert4rec", "--mask-probability", "0.3"};
        assertThat(run(concat(concat(common, "--alias", "champion"), QUICK))).as(err.toString()).isZero();
        java.util.regex.Matcher own = java.util.regex.Pattern.compile("BERT4Rec\\s+[0-9.]+\\s+([0-9.]+)")
                .matcher(out.toString());
        assertThat(own.find()).as(out.toString()).isTrue();
        JsonNode meta = new ObjectMapper().readTree(registry.resolve("demo/versions/1/metadata.json").toFile());
        assertThat(meta.path("architecture").asText()).isEqualTo("bert4rec");
        assertThat(meta.path("hyperparameters").path("mask_probability").asDouble()).isEqualTo(0.3, within(1e-6));
        assertThat(meta.path("inputs").has("timestamps")).isFalse();
        out.reset();
        assertTheChampionScoresWhatItsRunMeasured(common, Double.parseDouble(own.group(1)));
    }

    /**
     * A weak run compared with the champion (exit 3) prints the champion's NDCG@10 as the package
     * scorer (ONNX Runtime) measures it on the same held-out data: the one its own run printed.
     */
    private void assertTheChampionScoresWhatItsRunMeasured(String[] common, double ownNdcg) {
        String[] weak = {"--epochs", "1", "--eval-every", "1", "--hidden", "16", "--max-length", "12", "--lr", "0.00001"};
        assertThat(run(concat(concat(common, "--compare-with", "champion"), weak))).isEqualTo(3);
        java.util.regex.Matcher verdict = java.util.regex.Pattern.compile(
                "new NDCG@10 ([0-9.]+) vs champion ([0-9.]+) on the same held-out data").matcher(out.toString());
        assertThat(verdict.find()).as(out.toString()).isTrue();
        assertThat(Double.parseDouble(verdict.group(2))).isCloseTo(ownNdcg, within(0.005));
    }

    @Test
    void theBidirectionalModelReadsItemsOnly() {
        assertThat(run("--synthetic", "--bert4rec", "--time-span", "16")).isEqualTo(2);
        assertThat(err.toString()).contains("the bidirectional model (BERT4Rec) reads items only");
        assertThat(run("--synthetic", "--bert4rec", "--dp-epsilon", "8")).isEqualTo(2);
        assertThat(err.toString()).contains("--bert4rec does not go with --dp-epsilon yet");
        assertThat(run("--synthetic", "--bert4rec", "--mask-probability", "1")).isEqualTo(2);
        assertThat(err.toString()).contains("--mask-probability is between 0 and 1 (exclusive), got 1.0");
    }

    @Test
    void timeIntervalsAndEventsNeedTheirDataAndNoDifferentialPrivacy() throws IOException {
        Path data = Files.writeString(dir.resolve("a.txt"), "1 10\n1 20\n1 30\n");
        assertThat(run("--data", data.toString(), "--time-span", "16")).isEqualTo(2);
        assertThat(err.toString()).contains("--time-span needs each action's time; the sasrec format has order only");
        assertThat(run("--data", data.toString(), "--events")).isEqualTo(2);
        assertThat(err.toString()).contains("--events needs each action's event type");
        Path csv = Files.writeString(dir.resolve("a.csv"), "user,item,timestamp\n1,a,1\n1,b,2\n1,c,3\n");
        assertThat(run(concat(new String[] {"--data", csv.toString(), "--format", "csv", "--events"}, QUICK))).isEqualTo(1);
        assertThat(err.toString()).contains("--events: the data has no event types (a csv needs an 'event' column)");
        assertThat(run("--synthetic", "--time-span", "16", "--dp-epsilon", "8")).isEqualTo(2);
        assertThat(err.toString()).contains("--time-span does not go with --dp-epsilon yet");
    }

    @Test
    void unknownFormatAndBadOptionsAreUsageErrors() {
        assertThat(run("--data", "x", "--format", "parquet")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown data format 'parquet'");
        assertThat(run("--synthetic", "--epochs", "zero")).isEqualTo(2);
        assertThat(err.toString()).contains("Invalid value for option '--epochs': needs a whole number, got 'zero'");
        assertThat(run("--synthetic", "--hidden", "50", "--heads", "3")).isEqualTo(2);
        assertThat(err.toString()).contains("multiple of heads");
        assertThat(run("--synthetic", "--select-by", "recall")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown --select-by 'recall'; use ndcg-full or ndcg-sampled");
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("give either --data FILE or --synthetic");
    }

    private int run(String... args) {
        return Train.run(args, new PrintStream(out, true), new PrintStream(err, true), false);
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
