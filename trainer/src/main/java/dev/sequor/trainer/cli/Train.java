package dev.sequor.trainer.cli;

import dev.sequor.contract.TrainingContract;
import dev.sequor.trainer.data.DataException;
import dev.sequor.trainer.privacy.OverBudgetException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;

/** The trainer's command-line entry point, used by training Jobs and people alike. */
public final class Train {

    private Train() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.console() != null));
    }

    static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
        TrainOptions options;
        try {
            if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
                out.println(TrainOptions.USAGE);
                return 0;
            }
            options = TrainOptions.parse(args);
        } catch (UsageException | DataException e) {
            err.println("train: " + e.getMessage() + "\n\n" + TrainOptions.USAGE);
            return TrainingContract.EXIT_USAGE;
        }
        // PyTorch reads its thread counts once, when the engine loads.
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(options.threads()));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        System.setProperty("ai.djl.offline", "true");
        try {
            TrainingJob.Outcome o = new TrainingJob(out, System.getenv(), terminal).run(options);
            summary(out, o, options.model().displayName() + (options.readEvents() ? " + events" : ""));
            return 0;
        } catch (WorseThanChampionException e) {
            err.println("train: " + e.getMessage());
            return TrainingContract.EXIT_WORSE_THAN_CHAMPION;
        } catch (OverBudgetException e) {
            err.println("train: not trained: " + e.getMessage());
            return TrainingContract.EXIT_OVER_BUDGET;
        } catch (ImpossibleSettingsException e) {
            err.println("train: " + e.getMessage());
            return TrainingContract.EXIT_USAGE;
        } catch (DataException | UsageException e) {
            err.println("train: " + e.getMessage());
            return TrainingContract.EXIT_FAILED;
        } catch (IOException | RuntimeException e) {
            err.println("train: failed: " + e);
            return TrainingContract.EXIT_FAILED;
        }
    }

    private static void summary(PrintStream out, TrainingJob.Outcome o, String model) {
        out.println();
        out.println("Test (leave-one-out)     HR@10 full  NDCG@10 full  HR@10 100neg  NDCG@10 100neg");
        row(out, model, o.test());
        row(out, "most popular", o.popular());
        row(out, "Markov chain", o.markov());
        out.printf(Locale.ROOT, "best epoch %d of %d run; %.1f s/epoch, %.0f sequences/s; total %.0f s%n",
                o.bestEpoch(), o.epochsRun(), o.secondsPerEpoch(), o.sequencesPerSecond(), o.totalSeconds());
        out.println("package: " + o.packageDir() + (o.version() != null ? " (version " + o.version() + ")" : ""));
        out.println("curves:  " + o.packageDir().resolve("training-curves.html"));
    }

    private static void row(PrintStream out, String name, dev.sequor.trainer.eval.EvalResult r) {
        out.printf(Locale.ROOT, "%-22s %10.4f %13.4f %13.4f %15.4f%n", name, r.hitRateFull(), r.ndcgFull(),
                r.hitRateSampled(), r.ndcgSampled());
    }
}
