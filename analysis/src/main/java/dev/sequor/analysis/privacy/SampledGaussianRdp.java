package dev.sequor.analysis.privacy;

import org.apache.commons.numbers.gamma.Erfc;
import org.apache.commons.numbers.gamma.Erfcx;

/**
 * Rényi differential privacy of one step of the Poisson-subsampled Gaussian mechanism: each record
 * (here, each user) is in the step's batch with probability {@code q}, and Gaussian noise with
 * standard deviation {@code sigma} times the clip is added to the clipped sum (Mironov, Talwar and
 * Zhang, "Rényi Differential Privacy of the Sampled Gaussian Mechanism", 2019, section 3.3).
 * Integer orders use the exact binomial sum; fractional orders the two-sided series with erfc
 * terms, summed until the terms fall below e^-30 — the computation Opacus and TF Privacy share, so
 * that the numbers agree with theirs to the last digits they publish.
 */
public final class SampledGaussianRdp {

    private SampledGaussianRdp() {
    }

    /** RDP at order {@code alpha} (> 1) of one step; 0 when nothing is sampled, infinite without noise. */
    public static double rdp(double q, double sigma, double alpha) {
        if (q == 0) {
            return 0;
        }
        if (sigma == 0 || Double.isInfinite(alpha)) {
            return Double.POSITIVE_INFINITY;
        }
        if (q == 1) {
            return alpha / (2 * sigma * sigma);
        }
        double logA = alpha == Math.rint(alpha) ? logAIntegerOrder(q, sigma, (int) alpha) : logAFractionalOrder(q, sigma, alpha);
        return logA / (alpha - 1);
    }

    private static double logAIntegerOrder(double q, double sigma, int alpha) {
        double logA = Double.NEGATIVE_INFINITY;
        double binomial = 1;
        for (int i = 0; i <= alpha; i++) {
            if (i > 0) {
                binomial = binomial * (alpha - i + 1) / i;
            }
            double term = Math.log(binomial) + i * Math.log(q) + (alpha - i) * Math.log1p(-q)
                    + (i * (double) i - i) / (2 * sigma * sigma);
            logA = logAdd(logA, term);
        }
        return logA;
    }

    private static double logAFractionalOrder(double q, double sigma, double alpha) {
        double logA0 = Double.NEGATIVE_INFINITY;
        double logA1 = Double.NEGATIVE_INFINITY;
        double z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
        double binomial = 1;
        for (int i = 0;; i++) {
            if (i > 0) {
                binomial = binomial * (alpha - i + 1) / i;
            }
            double logCoefficient = Math.log(Math.abs(binomial));
            double j = alpha - i;
            double logT0 = logCoefficient + i * Math.log(q) + j * Math.log1p(-q);
            double logT1 = logCoefficient + j * Math.log(q) + i * Math.log1p(-q);
            double logE0 = Math.log(0.5) + logErfc((i - z0) / (Math.sqrt(2) * sigma));
            double logE1 = Math.log(0.5) + logErfc((z0 - j) / (Math.sqrt(2) * sigma));
            double logS0 = logT0 + (i * (double) i - i) / (2 * sigma * sigma) + logE0;
            double logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
            if (binomial > 0) {
                logA0 = logAdd(logA0, logS0);
                logA1 = logAdd(logA1, logS1);
            } else {
                logA0 = logSub(logA0, logS0);
                logA1 = logSub(logA1, logS1);
            }
            if (Math.max(logS0, logS1) < -30) {
                return logAdd(logA0, logA1);
            }
        }
    }

    /** log(erfc(x)), accurate where erfc(x) itself underflows (x beyond about 27). */
    static double logErfc(double x) {
        return x > 0 ? Math.log(Erfcx.value(x)) - x * x : Math.log(Erfc.value(x));
    }

    static double logAdd(double logX, double logY) {
        double a = Math.min(logX, logY);
        double b = Math.max(logX, logY);
        return a == Double.NEGATIVE_INFINITY ? b : Math.log1p(Math.exp(a - b)) + b;
    }

    static double logSub(double logX, double logY) {
        if (logX < logY) {
            throw new ArithmeticException("the series' partial sum went negative: log " + logX + " - log " + logY);
        }
        if (logY == Double.NEGATIVE_INFINITY) {
            return logX;
        }
        if (logX == logY) {
            return Double.NEGATIVE_INFINITY;
        }
        double difference = logX - logY;
        return difference > 700 ? logX : Math.log(Math.expm1(difference)) + logY;
    }
}
