package dev.sequor.trainer.privacy;

import dev.sequor.analysis.privacy.PrivacyLedger;

/**
 * What the command line asks for: train with user-level DP-SGD to {@code epsilon} at {@code delta}
 * with clip {@code maxGradNorm}; with a {@code budget}, only if the runs already spent on this
 * data ({@code spent}) and this one stay within it.
 */
public record DpRequest(double epsilon, double delta, double maxGradNorm, Double budget, PrivacyLedger spent) {

    /** The same request counting also the runs {@code recorded} elsewhere (the registry's copy of the ledger). */
    public DpRequest alsoSpent(PrivacyLedger recorded) {
        return new DpRequest(epsilon, delta, maxGradNorm, budget, PrivacyLedger.reconcile(spent, recorded));
    }

    /** The run for this data, calibrated; refuses settings no run can meet. */
    public DpSgdPlan plan(int expectedBatch, long users, int epochs) {
        return DpSgdPlan.calibrate(epsilon, delta, maxGradNorm, expectedBatch, users, epochs);
    }

    /** The ledger with this run; refuses, before any training, a run that takes the total over the budget. */
    public PrivacyLedger admit(DpSgdPlan plan) {
        if (budget != null) {
            PrivacyLedger.Admission admission = spent.admit(plan.run(), budget, delta);
            if (!admission.admitted()) {
                throw new OverBudgetException(admission.describe());
            }
        }
        return spent.with(plan.run());
    }
}
