package dev.sequor.analysis;

import java.util.Locale;

/**
 * The mixture sequential probability ratio test (mSPRT; Johari, Pekelis and Walsh, "Always Valid
 * Inference: Continuous Monitoring of A/B Tests", 2017/2022) on the difference of two proportions,
 * with the normal approximation and a N(0, τ²) mixture over the true difference θ:
 *
 * <pre>
 *   θ̂ = p̂_candidate − p̂_champion,   V = p̂_A(1−p̂_A)/n_A + p̂_B(1−p̂_B)/n_B
 *   Λ = sqrt(V / (V + τ²)) · exp( τ² θ̂² / (2 V (V + τ²)) )
 *   p_n = min(p_{n−1}, 1/Λ)            (always valid)
 * </pre>
 *
 * Rejecting when p_n ≤ α keeps the false-positive rate at or below α however often the test is
 * looked at (Ville's inequality on the mixture martingale); a fixed-horizon z-test looked at every
 * interval does not. Pure: counts in, result out; the caller keeps the previous p-value.
 */
public final class MixtureSprt {

    private final SequentialTestSettings settings;

    public MixtureSprt(SequentialTestSettings settings) {
        this.settings = settings;
    }

    /**
     * @param previousPValue the always-valid p-value of the previous look (1 at the first)
     */
    public SequentialResult evaluate(Proportion champion, Proportion candidate, double previousPValue) {
        double previous = Math.min(1, Math.max(0, previousPValue));
        double effect = candidate.rate() - champion.rate();
        if (champion.trials() < settings.minimumTrials() || candidate.trials() < settings.minimumTrials()) {
            return new SequentialResult(effect, Double.NaN, 1, previous, Decision.CONTINUE, String.format(Locale.ROOT,
                    "collecting: %d and %d trials of the %d each variant needs", champion.trials(), candidate.trials(),
                    settings.minimumTrials()));
        }
        double variance = variance(champion) / champion.trials() + variance(candidate) / candidate.trials();
        if (!(variance > 0)) {
            return new SequentialResult(effect, 0, 1, previous, Decision.CONTINUE,
                    "collecting: no variation in either variant yet");
        }
        double tau2 = settings.mixingVariance();
        double logLambda = 0.5 * Math.log(variance / (variance + tau2))
                + tau2 * effect * effect / (2 * variance * (variance + tau2));
        double pValue = Math.min(previous, Math.min(1, Math.exp(-logLambda)));
        Decision decision = pValue > settings.alpha() ? Decision.CONTINUE
                : effect > 0 ? Decision.CANDIDATE_BETTER : Decision.CANDIDATE_WORSE;
        String reason = String.format(Locale.ROOT, "difference %+.4f (candidate %.4f, champion %.4f), always-valid p %.4g%s",
                effect, candidate.rate(), champion.rate(), pValue,
                decision == Decision.CONTINUE ? " > alpha " + settings.alpha() : " <= alpha " + settings.alpha());
        return new SequentialResult(effect, Math.sqrt(variance), Math.exp(logLambda), pValue, decision, reason);
    }

    private static double variance(Proportion p) {
        return p.rate() * (1 - p.rate());
    }
}
