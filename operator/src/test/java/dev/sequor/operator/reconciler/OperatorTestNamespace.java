package dev.sequor.operator.reconciler;

import static dev.sequor.operator.testing.OperatorHarness.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sequor.api.v1alpha1.Condition;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.operator.testing.OperatorHarness;
import dev.sequor.operator.testing.RealCluster;
import dev.sequor.operator.testing.TestModels;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A namespace of the real control plane with an operator watching it, fresh for each test, and
 * the reads the reconcile tests make of what the operator built.
 */
abstract class OperatorTestNamespace {

    protected static final Duration WAIT = Duration.ofSeconds(60);

    protected final KubernetesClient client = RealCluster.admin();
    @TempDir
    Path registry;
    @SuppressWarnings("checkstyle:MemberName")
    protected String NS;
    private OperatorHarness operator;

    @BeforeEach
    void startOperator() {
        NS = RealCluster.newNamespace("reconcile");
        operator = OperatorHarness.start(NS, Optional.empty(), Optional.of(registry));
    }

    @AfterEach
    void stopOperator() {
        operator.close();
        RealCluster.deleteNamespace(NS);
    }

    protected void apply(String name, String spec) {
        RecommenderModel model = TestModels.fromYaml(name, NS, spec);
        if (get(client, NS, name) == null) {
            client.resource(model).create();
        } else {
            TestModels.replaceSpec(client, NS, name, spec);
        }
    }

    protected Deployment awaitDeployment(String name) {
        await().atMost(WAIT).until(() -> deployment(name) != null);
        return deployment(name);
    }

    protected Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(NS).withName(name).get();
    }

    protected Service service(String name) {
        return client.services().inNamespace(NS).withName(name).get();
    }

    protected HorizontalPodAutoscaler hpa(String name) {
        return client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS).withName(name).get();
    }

    protected List<Event> eventsWithReason(String reason) {
        return events().stream().filter(e -> e.getReason().equals(reason)).toList();
    }

    protected List<Event> events() {
        return client.v1().events().inNamespace(NS).list().getItems();
    }

    protected static Condition condition(RecommenderModel m, String type) {
        assertThat(m.getStatus()).as("status of %s", m.getMetadata().getName()).isNotNull();
        return m.getStatus().condition(type).orElseThrow(() -> new AssertionError("no " + type + " condition"));
    }
}
