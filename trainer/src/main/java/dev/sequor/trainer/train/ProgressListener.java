package dev.sequor.trainer.train;

/** Receives training progress. */
public interface ProgressListener {

    void batch(int epoch, int batch, int batches, double runningLoss);

    void epoch(EpochReport report);

    ProgressListener SILENT = new ProgressListener() {
        @Override
        public void batch(int epoch, int batch, int batches, double runningLoss) {
        }

        @Override
        public void epoch(EpochReport report) {
        }
    };
}
