package dev.sequor.operator.retraining;

import dev.sequor.analysis.privacy.DpSgdRun;
import dev.sequor.analysis.privacy.NoiseCalibration;
import dev.sequor.analysis.privacy.PrivacyLedger;
import dev.sequor.api.v1alpha1.DifferentialPrivacySpec;
import dev.sequor.api.v1alpha1.PrivacySpec;
import dev.sequor.api.v1alpha1.PrivacyStatus;
import dev.sequor.api.v1alpha1.TrainingStatus;
import dev.sequor.contract.TrainingContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The privacy ledger as the operator keeps it: runs come from the trainer's reports (each Job
 * pod's termination message: a run that trained is counted whatever its outcome), and a new run
 * starts only if the ledger with it stays within the budget.
 */
final class PrivacyAccounting {

    private PrivacyAccounting() {
    }

    static PrivacyLedger ledger(TrainingStatus previous) {
        return previous == null || previous.privacy() == null ? PrivacyLedger.EMPTY
                : PrivacyLedger.parse(previous.privacy().ledger());
    }

    /**
     * The ledger after one look: the last status's, the runs that Jobs finished since reported, and
     * (with spec.retraining.privacy) the registry's record. Not the record while a run is going: its
     * trainer records the run before the Job is seen to finish, and the Job's report adds it then,
     * so taking the record first would count that run twice.
     */
    static PrivacyLedger current(TrainingStatus previous, List<DpSgdRun> reported, boolean running,
            java.util.function.Supplier<Optional<String>> recorded) {
        PrivacyLedger ledger = ledger(previous);
        for (DpSgdRun run : reported) {
            ledger = ledger.with(run);
        }
        return running ? ledger : withRecorded(ledger, recorded.get());
    }

    /**
     * The ledger with the registry's record of it: the longer where one extends the other, every run
     * either knows of where they diverged. A record that does not parse (edited by hand) is left out;
     * the trainer, which reads it too, refuses to train on it.
     */
    static PrivacyLedger withRecorded(PrivacyLedger ledger, Optional<String> recorded) {
        if (recorded.isEmpty()) {
            return ledger;
        }
        try {
            return PrivacyLedger.reconcile(ledger, PrivacyLedger.parse(recorded.get()));
        } catch (IllegalArgumentException malformed) {
            return ledger;
        }
    }

    /** The runs a Job's pods reported (one per attempt that reached training). */
    static List<DpSgdRun> reported(List<String> reportLines) {
        List<DpSgdRun> runs = new ArrayList<>();
        for (String line : reportLines) {
            if (line.startsWith(TrainingContract.PRIVACY_RUN_REPORT)) {
                try {
                    runs.add(DpSgdRun.parse(line.substring(TrainingContract.PRIVACY_RUN_REPORT.length())));
                } catch (IllegalArgumentException ignored) {
                    // A report cut short (the message is limited to 4 KiB): the run's own tags still have it.
                }
            }
        }
        return runs;
    }

    /**
     * The next run as the operator can foresee it: the last run's sample rate and steps (the data
     * and epochs as they were then), with the noise for the target ε. With no run yet any shape
     * gives the same answer: one run calibrated to ε spends exactly ε. The trainer checks again
     * with the data it reads and refuses (exit 4) what this estimate let through.
     */
    static DpSgdRun planned(PrivacyLedger ledger, DifferentialPrivacySpec dp) {
        Optional<DpSgdRun> last = ledger.runs().isEmpty() ? Optional.empty()
                : Optional.of(ledger.runs().get(ledger.runs().size() - 1));
        double q = last.map(DpSgdRun::sampleRate).orElse(0.01);
        long steps = last.map(DpSgdRun::steps).orElse(100L);
        return new DpSgdRun(q, NoiseCalibration.noiseMultiplier(dp.targetEpsilon(), dp.deltaOrDefault(), q, steps), steps);
    }

    /** Whether the next run fits the budget; empty without a budget. */
    static Optional<PrivacyLedger.Admission> admission(PrivacyLedger ledger, PrivacySpec spec) {
        if (spec == null || spec.differentialPrivacy() == null || spec.budget() == null) {
            return Optional.empty();
        }
        DifferentialPrivacySpec dp = spec.differentialPrivacy();
        try {
            return Optional.of(ledger.admit(planned(ledger, dp), spec.budget().epsilon(), dp.deltaOrDefault()));
        } catch (IllegalArgumentException unreachable) {
            // No noise reaches targetEpsilon for a run shaped like the last one: it cannot run within anything.
            return Optional.of(new PrivacyLedger.Admission(false, ledger.epsilon(dp.deltaOrDefault()),
                    Double.POSITIVE_INFINITY, spec.budget().epsilon()));
        }
    }

    static PrivacyStatus status(PrivacyLedger ledger, PrivacySpec spec) {
        if (spec == null || spec.differentialPrivacy() == null) {
            return ledger.runs().isEmpty() ? null : new PrivacyStatus(null, null, null, ledger.runs().size(), ledger.format());
        }
        double delta = spec.differentialPrivacy().deltaOrDefault();
        return new PrivacyStatus(ledger.epsilon(delta), delta, spec.budget() != null ? spec.budget().epsilon() : null,
                ledger.runs().size(), ledger.runs().isEmpty() ? null : ledger.format());
    }
}
