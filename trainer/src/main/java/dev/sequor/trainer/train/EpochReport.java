package dev.sequor.trainer.train;

import dev.sequor.trainer.eval.EvalResult;

/** One epoch: mean training loss, time, throughput, and the validation result when validated. */
public record EpochReport(int epoch, double loss, double seconds, double sequencesPerSecond, EvalResult validation) {
}
