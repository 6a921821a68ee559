package dev.sequor.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.inject.Singleton;

/**
 * Lets several operator replicas run with one of them reconciling: a Lease named
 * {@value #LEASE_NAME} in the operator's namespace. The SDK uses it in the prod profile only.
 */
@Singleton
public class LeaderElection extends LeaderElectionConfiguration {

    public static final String LEASE_NAME = "sequor-operator-lock";

    public LeaderElection() {
        super(LEASE_NAME);
    }
}
