package dev.sequor.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequor.api.v1alpha1.Condition;
import dev.sequor.api.v1alpha1.Reason;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-01T01:00:00Z");

    @Test
    void newConditionGetsNowAsTransitionTime() {
        List<Condition> merged = Conditions.merge(null, List.of(Conditions.of("Ready", true, Reason.SERVING, "ok", 1L)), T0);
        assertThat(merged.get(0).lastTransitionTime()).isEqualTo(T0.toString());
    }

    @Test
    void unchangedStatusKeepsTransitionTimeEvenWhenTheMessageChanges() {
        List<Condition> before = Conditions.merge(null, List.of(Conditions.of("Ready", true, Reason.SERVING, "1 of 2", 1L)), T0);
        List<Condition> after = Conditions.merge(before, List.of(Conditions.of("Ready", true, Reason.SERVING, "2 of 2", 2L)), T1);
        assertThat(after.get(0).lastTransitionTime()).isEqualTo(T0.toString());
        assertThat(after.get(0).message()).isEqualTo("2 of 2");
        assertThat(after.get(0).observedGeneration()).isEqualTo(2L);
    }

    @Test
    void flippedStatusMovesTransitionTime() {
        List<Condition> before = Conditions.merge(null, List.of(Conditions.of("Ready", true, Reason.SERVING, "ok", 1L)), T0);
        List<Condition> after = Conditions.merge(before, List.of(Conditions.of("Ready", false, Reason.NO_READY_PODS, "0", 1L)), T1);
        assertThat(after.get(0).lastTransitionTime()).isEqualTo(T1.toString());
    }
}
