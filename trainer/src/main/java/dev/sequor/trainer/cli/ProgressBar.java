package dev.sequor.trainer.cli;

import dev.sequor.trainer.train.EpochReport;
import dev.sequor.trainer.train.ProgressListener;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar per epoch on a terminal (redrawn in place), or one line per epoch when the
 * output is a log file.
 */
final class ProgressBar implements ProgressListener {

    private static final int WIDTH = 30;
    private final PrintStream out;
    private final int epochs;
    private final boolean terminal;
    private long lastDraw;

    ProgressBar(PrintStream out, int epochs, boolean terminal) {
        this.out = out;
        this.epochs = epochs;
        this.terminal = terminal;
    }

    @Override
    public void batch(int epoch, int batch, int batches, double runningLoss) {
        long now = System.nanoTime();
        if (!terminal || (now - lastDraw < 100_000_000L && batch < batches)) {
            return;
        }
        lastDraw = now;
        int filled = (int) ((long) WIDTH * batch / batches);
        out.printf(Locale.ROOT, "\repoch %d/%d [%s%s] %d/%d loss %.4f", epoch, epochs, "#".repeat(filled),
                ".".repeat(WIDTH - filled), batch, batches, runningLoss);
        out.flush();
    }

    @Override
    public void epoch(EpochReport r) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d loss %.4f %.1fs %.0f seq/s",
                r.epoch(), epochs, r.loss(), r.seconds(), r.sequencesPerSecond()));
        if (r.validation() != null) {
            line.append(String.format(Locale.ROOT, " | valid HR@10 %.4f NDCG@10 %.4f (full), %.4f / %.4f (100 neg)",
                    r.validation().hitRateFull(), r.validation().ndcgFull(), r.validation().hitRateSampled(),
                    r.validation().ndcgSampled()));
        }
        out.print((terminal ? "\r\033[K" : "") + line + "\n");
        out.flush();
    }
}
