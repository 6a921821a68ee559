package dev.sequor.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether an optional CRD (the Prometheus Operator's ServiceMonitor, KEDA's ScaledObject) is installed, asked at most
 * once a minute instead of once per reconciliation: with a thousand models that is the
 * difference between one call and a thousand.
 */
final class CrdPresence {

    static final Duration DEFAULT_TTL = Duration.ofMinutes(1);

    private record Answer(boolean present, Instant at) {
    }

    private final String crdName;
    private final Clock clock;
    private final Duration ttl;
    private final AtomicReference<Answer> last = new AtomicReference<>();

    CrdPresence(String crdName, Clock clock, Duration ttl) {
        this.crdName = crdName;
        this.clock = clock;
        this.ttl = ttl;
    }

    boolean present(KubernetesClient client) {
        Answer answer = last.get();
        Instant now = clock.instant();
        if (answer == null || answer.at().plus(ttl).isBefore(now)) {
            answer = new Answer(client.apiextensions().v1().customResourceDefinitions().withName(crdName).get() != null,
                    now);
            last.set(answer);
        }
        return answer.present();
    }
}
