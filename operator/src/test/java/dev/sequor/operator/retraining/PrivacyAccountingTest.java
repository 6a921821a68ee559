package dev.sequor.operator.retraining;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequor.analysis.privacy.DpSgdRun;
import dev.sequor.analysis.privacy.PrivacyLedger;
import dev.sequor.api.v1alpha1.PrivacyStatus;
import dev.sequor.api.v1alpha1.TrainingStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every run that trained counts once, whichever of its Job's report and the registry's record is seen first. */
class PrivacyAccountingTest {

    private static final DpSgdRun RUN = new DpSgdRun(0.05, 1.1, 200);

    @Test
    void aRunRecordedBeforeItsJobIsSeenToFinishCountsOnce() {
        String recorded = PrivacyLedger.EMPTY.with(RUN).format();
        // The trainer has written the registry's record; its Job is still running.
        PrivacyLedger whileRunning = PrivacyAccounting.current(status(PrivacyLedger.EMPTY), List.of(), true,
                () -> Optional.of(recorded));
        // The next look sees the Job finished, and its pod's report of the same run.
        PrivacyLedger finished = PrivacyAccounting.current(status(whileRunning), List.of(RUN), false,
                () -> Optional.of(recorded));

        assertThat(finished.runs()).containsExactly(RUN);
    }

    @Test
    void aResourceWithoutStatusTakesTheRegistrysRecord() {
        String recorded = PrivacyLedger.EMPTY.with(RUN).with(RUN).format();
        assertThat(PrivacyAccounting.current(null, List.of(), false, () -> Optional.of(recorded)).runs())
                .containsExactly(RUN, RUN);
    }

    @Test
    void aRunWhoseReportWasLostIsCountedFromTheRecord() {
        String recorded = PrivacyLedger.EMPTY.with(RUN).format();
        assertThat(PrivacyAccounting.current(status(PrivacyLedger.EMPTY), List.of(), false,
                () -> Optional.of(recorded)).runs()).containsExactly(RUN);
    }

    private static TrainingStatus status(PrivacyLedger ledger) {
        return new TrainingStatus(null, null, null, null, null, null, null, List.of(),
                new PrivacyStatus(null, null, null, ledger.runs().size(), ledger.runs().isEmpty() ? null : ledger.format()));
    }
}
