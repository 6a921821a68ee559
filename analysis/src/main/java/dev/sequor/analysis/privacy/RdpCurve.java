package dev.sequor.analysis.privacy;

import java.util.Arrays;
import java.util.List;

/**
 * A mechanism's Rényi DP at each of a fixed list of orders. Composition adds curves order by order
 * (Mironov 2017, proposition 1); only the composed curve is converted to (ε, δ), which is what makes
 * the budget across retrains tighter than adding the runs' ε.
 */
public record RdpCurve(List<Double> orders, double[] rdp) {

    /** The orders Opacus uses by default: 1.1 to 10.9 in steps of 0.1, then 12 to 63. */
    public static final List<Double> OPACUS_ORDERS = opacusOrders();

    public RdpCurve {
        orders = List.copyOf(orders);
        rdp = rdp.clone();
        if (orders.size() != rdp.length) {
            throw new IllegalArgumentException(orders.size() + " orders but " + rdp.length + " values");
        }
    }

    /** No privacy spent: zero at every order. */
    public static RdpCurve zero(List<Double> orders) {
        return new RdpCurve(orders, new double[orders.size()]);
    }

    /** {@code steps} steps of the Poisson-sampled Gaussian mechanism at rate {@code q}, noise multiplier {@code sigma}. */
    public static RdpCurve sampledGaussian(double q, double sigma, long steps, List<Double> orders) {
        double[] rdp = new double[orders.size()];
        for (int i = 0; i < rdp.length; i++) {
            rdp[i] = SampledGaussianRdp.rdp(q, sigma, orders.get(i)) * steps;
        }
        return new RdpCurve(orders, rdp);
    }

    /** This mechanism followed by {@code other} on the same data. */
    public RdpCurve plus(RdpCurve other) {
        if (!orders.equals(other.orders)) {
            throw new IllegalArgumentException("curves over different orders cannot be composed");
        }
        double[] sum = rdp.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += other.rdp[i];
        }
        return new RdpCurve(orders, sum);
    }

    /**
     * The smallest ε over the orders for this δ, with the conversion of Balle et al. 2020
     * (ε = rdp − (log δ + log α)/(α − 1) + log((α − 1)/α)), as Opacus and TF Privacy compute it.
     */
    public PrivacySpent epsilon(double delta) {
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta is between 0 and 1 (exclusive), got " + delta);
        }
        double best = Double.NaN;
        double bestOrder = Double.NaN;
        for (int i = 0; i < rdp.length; i++) {
            double alpha = orders.get(i);
            double eps = rdp[i] - (Math.log(delta) + Math.log(alpha)) / (alpha - 1) + Math.log((alpha - 1) / alpha);
            if (!Double.isNaN(eps) && (Double.isNaN(best) || eps < best)) {
                best = eps;
                bestOrder = alpha;
            }
        }
        return Double.isNaN(best) ? new PrivacySpent(Double.POSITIVE_INFINITY, delta, Double.NaN)
                : new PrivacySpent(best, delta, bestOrder);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RdpCurve c && orders.equals(c.orders) && Arrays.equals(rdp, c.rdp);
    }

    @Override
    public int hashCode() {
        return orders.hashCode() * 31 + Arrays.hashCode(rdp);
    }

    @Override
    public String toString() {
        return "RdpCurve" + Arrays.toString(rdp);
    }

    private static List<Double> opacusOrders() {
        List<Double> orders = new java.util.ArrayList<>();
        for (int x = 1; x < 100; x++) {
            orders.add(1 + x / 10.0);
        }
        for (int a = 12; a < 64; a++) {
            orders.add((double) a);
        }
        return List.copyOf(orders);
    }
}
