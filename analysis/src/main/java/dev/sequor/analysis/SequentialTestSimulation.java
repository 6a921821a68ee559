package dev.sequor.analysis;

import java.util.SplittableRandom;

/**
 * Seeded simulation of experiments looked at after every step, for the statistical claims about
 * {@link MixtureSprt}: its false-positive rate under no difference (A/A), its power and stopping
 * time under a true difference, and, beside it on the same data, a fixed-horizon two-sided z-test
 * looked at every step (what a dashboard watched daily amounts to).
 *
 * @param experiments simulated experiments
 * @param steps looks per experiment (analysis intervals)
 * @param trialsPerStep new trials per variant between two looks
 */
public record SequentialTestSimulation(int experiments, int steps, int trialsPerStep) {

    /** Share of experiments each test stopped with a decision, and when the mSPRT stopped. */
    public record Outcome(double msprtRejectionRate, double peekingZRejectionRate, double meanStoppingStep,
            double candidateBetterRate) {
    }

    /** z for a two-sided fixed-horizon test at alpha 0.05. */
    private static final double Z_95 = 1.959963984540054;

    public Outcome run(SequentialTestSettings settings, double championRate, double candidateRate, long seed) {
        MixtureSprt test = new MixtureSprt(settings);
        SplittableRandom random = new SplittableRandom(seed);
        int msprtStops = 0;
        int zStops = 0;
        int better = 0;
        long stoppingSteps = 0;
        for (int e = 0; e < experiments; e++) {
            long championHits = 0;
            long candidateHits = 0;
            long trials = 0;
            double pValue = 1;
            boolean msprtStopped = false;
            boolean zStopped = false;
            for (int step = 1; step <= steps && !(msprtStopped && zStopped); step++) {
                for (int i = 0; i < trialsPerStep; i++) {
                    championHits += random.nextDouble() < championRate ? 1 : 0;
                    candidateHits += random.nextDouble() < candidateRate ? 1 : 0;
                }
                trials += trialsPerStep;
                Proportion champion = new Proportion(championHits, trials);
                Proportion candidate = new Proportion(candidateHits, trials);
                if (!msprtStopped) {
                    SequentialResult r = test.evaluate(champion, candidate, pValue);
                    pValue = r.pValue();
                    if (r.decision() != Decision.CONTINUE) {
                        msprtStopped = true;
                        msprtStops++;
                        stoppingSteps += step;
                        better += r.decision() == Decision.CANDIDATE_BETTER ? 1 : 0;
                    }
                }
                if (!zStopped && Math.abs(z(champion, candidate)) > Z_95) {
                    zStopped = true;
                    zStops++;
                }
            }
            if (!msprtStopped) {
                stoppingSteps += steps;
            }
        }
        return new Outcome((double) msprtStops / experiments, (double) zStops / experiments,
                (double) stoppingSteps / experiments, (double) better / experiments);
    }

    private static double z(Proportion a, Proportion b) {
        double variance = a.rate() * (1 - a.rate()) / a.trials() + b.rate() * (1 - b.rate()) / b.trials();
        return variance > 0 ? (b.rate() - a.rate()) / Math.sqrt(variance) : 0;
    }
}
