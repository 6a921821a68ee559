package dev.sequor.operator.status;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.util.Objects;

/** What the predictor Deployment's status says, reduced to what the conditions need. */
public record DeploymentObservation(
        boolean exists,
        int desired,
        int ready,
        int updated,
        int total,
        boolean observedLatestGeneration,
        String stalledMessage) {

    public static final DeploymentObservation ABSENT = new DeploymentObservation(false, 0, 0, 0, 0, false, null);

    public static DeploymentObservation of(Deployment deployment) {
        if (deployment == null) {
            return ABSENT;
        }
        int desired = deployment.getSpec() != null && deployment.getSpec().getReplicas() != null
                ? deployment.getSpec().getReplicas() : 1;
        DeploymentStatus s = deployment.getStatus();
        if (s == null) {
            return new DeploymentObservation(true, desired, 0, 0, 0, false, null);
        }
        long generation = Objects.requireNonNullElse(deployment.getMetadata().getGeneration(), 0L);
        boolean observed = s.getObservedGeneration() != null && s.getObservedGeneration() >= generation;
        String stalled = s.getConditions() == null ? null : s.getConditions().stream()
                .filter(c -> "Progressing".equals(c.getType()) && "False".equals(c.getStatus())
                        && "ProgressDeadlineExceeded".equals(c.getReason()))
                .map(DeploymentCondition::getMessage)
                .findFirst().orElse(null);
        return new DeploymentObservation(true, desired, orZero(s.getReadyReplicas()), orZero(s.getUpdatedReplicas()),
                orZero(s.getReplicas()), observed, stalled);
    }

    /** Every pod runs the latest template and is ready, and no old pod is left. */
    public boolean rolloutComplete() {
        return exists && observedLatestGeneration && updated >= desired && ready >= desired && total <= desired;
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
