package dev.sequor.analysis.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PrivacyLedgerTest {

    private static final DpSgdRun RUN = new DpSgdRun(0.04, 1.5, 2_250); // epsilon 7.329 at 1e-5 alone

    @Test
    void theLedgerComposesRunsAndRefusesOneThatWouldExceedTheBudget() {
        PrivacyLedger ledger = PrivacyLedger.EMPTY.with(RUN);
        assertThat(ledger.epsilon(1e-5)).isCloseTo(7.32911117143, within(1e-6));
        PrivacyLedger.Admission second = ledger.admit(RUN, 10, 1e-5);
        // Composed in RDP, two runs spend 10.97: well under 2 x 7.33 = 14.66, still over a budget of 10.
        assertThat(second.spentAfter()).isCloseTo(10.9732, within(1e-4));
        assertThat(second.admitted()).isFalse();
        assertThat(second.remaining()).isCloseTo(10 - 7.32911117143, within(1e-6));
        assertThat(second.describe()).contains("over the budget").contains("2.671 remaining");
        assertThat(ledger.admit(RUN, 11, 1e-5).admitted()).isTrue();
        assertThat(PrivacyLedger.EMPTY.admit(RUN, 7.3, 1e-5).admitted()).isFalse();
    }

    @Test
    void twoRecordsOfTheLedgerReconcileWithoutLosingARun() {
        DpSgdRun second = new DpSgdRun(0.0041, 1.0734, 2340);
        DpSgdRun third = new DpSgdRun(0.0045, 1.1, 2200);
        PrivacyLedger one = PrivacyLedger.EMPTY.with(RUN);
        PrivacyLedger two = one.with(second);
        assertThat(PrivacyLedger.reconcile(one, two)).as("status lost a run").isEqualTo(two);
        assertThat(PrivacyLedger.reconcile(two, one)).as("the registry lost a run").isEqualTo(two);
        assertThat(PrivacyLedger.reconcile(PrivacyLedger.EMPTY, two)).as("status gone").isEqualTo(two);
        assertThat(PrivacyLedger.reconcile(two, PrivacyLedger.EMPTY)).isEqualTo(two);
        assertThat(PrivacyLedger.reconcile(two, one.with(third)).runs())
                .as("diverged: every run either side knows of").containsExactly(RUN, second, third);
        assertThat(PrivacyLedger.reconcile(two, one.with(third)).epsilon(1e-5)).isGreaterThan(two.epsilon(1e-5));
    }

    @Test
    void theLedgerRoundTripsThroughItsTextForm() {
        PrivacyLedger ledger = PrivacyLedger.EMPTY.with(RUN).with(new DpSgdRun(0.0041, 1.0734, 2340));
        assertThat(PrivacyLedger.parse(ledger.format())).isEqualTo(ledger);
        assertThat(PrivacyLedger.parse("")).isEqualTo(PrivacyLedger.EMPTY);
        assertThatThrownBy(() -> PrivacyLedger.parse("0.1:x:3")).hasMessageContaining("q:sigma:steps");
        assertThatThrownBy(() -> PrivacyLedger.parse("0.1:1")).hasMessageContaining("q:sigma:steps");
    }
}
