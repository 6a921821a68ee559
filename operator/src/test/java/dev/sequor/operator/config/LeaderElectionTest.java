package dev.sequor.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaderElectionTest {

    @Test
    void leaseNamespaceIsTheFirstOneKnown() {
        assertThat(LeaderElection.leaseNamespace(Optional.of("ops"), Optional.of("sequor-system"), Optional.of("dev")))
                .isEqualTo("ops");
        assertThat(LeaderElection.leaseNamespace(Optional.empty(), Optional.of("sequor-system"), Optional.of("dev")))
                .isEqualTo("sequor-system");
        assertThat(LeaderElection.leaseNamespace(Optional.of(" "), Optional.empty(), Optional.of("dev")))
                .isEqualTo("dev");
    }

    @Test
    void outsideAClusterWithNoNamespaceAnywhereItIsDefault() {
        assertThat(LeaderElection.leaseNamespace(Optional.empty(), Optional.empty(), Optional.empty()))
                .isEqualTo("default");
    }
}
