package dev.sequor.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether an optional CRD (the Prometheus Operator's ServiceMonitor) is installed, asked at most
 * once a minute instead of once per reconciliation: with a thousand models that is the
 * difference between one call and a thousand.
 */
final class CrdPresence {

    private static final Duration TTL = Duration.ofMinutes(1);

    private record Answer(boolean present, Instant at) {
    }

    private final String crdName;
    private final Clock clock;
    private final AtomicReference<Answer> last = new AtomicReference<>();

    CrdPresence(String crdName, Clock clock) {
        this.crdName = crdName;
        this.clock = clock;
    }

    boolean present(KubernetesClient client) {
        Answer answer = last.get();
        Instant now = clock.instant();
        if (answer == null || answer.at().plus(TTL).isBefore(now)) {
            answer = new Answer(client.apiextensions().v1().customResourceDefinitions().withName(crdName).get() != null,
                    now);
            last.set(answer);
        }
        return answer.present();
    }
}
