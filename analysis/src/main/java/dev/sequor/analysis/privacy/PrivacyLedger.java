package dev.sequor.analysis.privacy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The privacy spent on a model's data over all its training runs: the runs' RDP curves added
 * (every run touched the same users), then converted to ε once — not a sum of the runs' ε.
 */
public record PrivacyLedger(List<DpSgdRun> runs) {

    public static final PrivacyLedger EMPTY = new PrivacyLedger(List.of());

    public PrivacyLedger {
        runs = List.copyOf(runs);
    }

    public RdpCurve curve() {
        RdpCurve sum = RdpCurve.zero(RdpCurve.OPACUS_ORDERS);
        for (DpSgdRun run : runs) {
            sum = sum.plus(run.curve(RdpCurve.OPACUS_ORDERS));
        }
        return sum;
    }

    /** ε spent so far at δ (0 with no runs). */
    public double epsilon(double delta) {
        return runs.isEmpty() ? 0 : curve().epsilon(delta).epsilon();
    }

    public PrivacyLedger with(DpSgdRun run) {
        List<DpSgdRun> more = new ArrayList<>(runs);
        more.add(run);
        return new PrivacyLedger(more);
    }

    /**
     * One ledger from two records of the same data's runs (status and the registry): runs are only
     * ever appended, so where one is the other plus more runs the longer is the truth. Where they
     * have diverged (each lost a different write), every run either knows of is counted — a run known
     * to both past the divergence twice — because undercounting would spend privacy unseen.
     */
    public static PrivacyLedger reconcile(PrivacyLedger a, PrivacyLedger b) {
        List<String> left = a.runs.stream().map(DpSgdRun::format).toList();
        List<String> right = b.runs.stream().map(DpSgdRun::format).toList();
        int common = 0;
        while (common < left.size() && common < right.size() && left.get(common).equals(right.get(common))) {
            common++;
        }
        List<DpSgdRun> all = new ArrayList<>(a.runs);
        all.addAll(b.runs.subList(common, b.runs.size()));
        return new PrivacyLedger(all);
    }

    /** Whether adding {@code planned} keeps the total within {@code budget} at δ, and the numbers to say so. */
    public Admission admit(DpSgdRun planned, double budget, double delta) {
        double spent = epsilon(delta);
        double after = with(planned).epsilon(delta);
        return new Admission(after <= budget, spent, after, budget);
    }

    /** A planned run against the budget: ε spent before, ε after it, and the budget. */
    public record Admission(boolean admitted, double spentBefore, double spentAfter, double budget) {

        public double remaining() {
            return Math.max(0, budget - spentBefore);
        }

        public String describe() {
            return String.format(Locale.ROOT, "privacy budget epsilon %.4g: %.4g spent by %s, %.4g after this run%s",
                    budget, spentBefore, spentBefore == 0 ? "no run yet" : "earlier runs", spentAfter,
                    admitted ? "" : String.format(Locale.ROOT, " — over the budget (%.4g remaining)", remaining()));
        }
    }

    /** Runs as {@code q:sigma:steps;...} (a registry tag's value). */
    public String format() {
        return String.join(";", runs.stream().map(DpSgdRun::format).toList());
    }

    public static PrivacyLedger parse(String text) {
        if (text == null || text.isBlank()) {
            return EMPTY;
        }
        List<DpSgdRun> runs = new ArrayList<>();
        for (String run : text.split(";")) {
            runs.add(DpSgdRun.parse(run));
        }
        return new PrivacyLedger(runs);
    }
}
