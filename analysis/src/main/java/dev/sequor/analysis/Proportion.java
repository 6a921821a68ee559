package dev.sequor.analysis;

/**
 * Successes out of trials for one variant: hits per recommendation list served, or clicks per
 * impression, from the per-variant counters.
 */
public record Proportion(long successes, long trials) {

    public Proportion {
        if (trials < 0 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException("need 0 <= successes <= trials, got " + successes + " of " + trials);
        }
    }

    public double rate() {
        return trials == 0 ? 0 : (double) successes / trials;
    }
}
