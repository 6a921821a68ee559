package dev.sequor.operator.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.operator.testing.Kustomize;
import dev.sequor.operator.testing.OperatorHarness;
import dev.sequor.operator.testing.RealCluster;
import dev.sequor.operator.testing.TestModels;
import dev.sequor.testing.AuditEntry;
import dev.sequor.testing.KubeControlPlane;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the operator through its scenarios against the real API server with nothing but the
 * ClusterRole of manifests/base, reads every call it made from the server's audit log, and checks
 * that none was refused and that the role grants nothing the operator does not use.
 */
class RbacCoverageTest {

    private static final String MOVIES_3 = TestModels.predictorForUri("movies", "https://models.example/movies/3");

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Granted but not called in this scenario, each for a reason outside it. */
    private static final Set<String> NOT_EXERCISED_HERE = Set.of(
            // Needed by the OwnerReferencesPermissionEnforcement admission plugin, not an API call.
            "update sequor.dev/recommendermodels/finalizers",
            // The Quarkus SDK's start-up CRD check (OperatorApplicationTest runs it).
            "get apiextensions.k8s.io/customresourcedefinitions/recommendermodels.sequor.dev");

    private final KubernetesClient client = RealCluster.admin();
    @TempDir
    Path registry;
    @SuppressWarnings("checkstyle:MemberName")
    private String NS;

    @Test
    void clusterRoleCoversExactlyWhatTheOperatorCalls() throws IOException {
        NS = RealCluster.newNamespace("rbac");
        RealCluster.installCrd(client, RealCluster.SERVICE_MONITOR_CRD);
        Instant start = Instant.now();
        try (OperatorHarness ignored = OperatorHarness.start(NS, Optional.empty(), Optional.of(registry))) {
            exerciseEveryPath();
        } finally {
            RealCluster.deleteNamespace(NS);
        }
        List<AuditEntry> calls = RealCluster.plane().auditEntries().stream()
                .filter(c -> !c.received().isBefore(start))
                .filter(c -> c.namespace().isEmpty() || c.namespace().equals(NS))
                .toList();
        assertThat(calls).as("operator calls in the audit log").isNotEmpty();

        assertThat(calls).as("calls the API server refused (RBAC)").noneMatch(c -> c.code() == 403);
        List<PolicyRule> rules = clusterRole().getRules();
        assertThat(calls).allSatisfy(call -> assertThat(rules.stream().anyMatch(r -> allows(r, call)))
                .as("ClusterRole allows '%s'", call.call()).isTrue());
        Set<String> unused = new TreeSet<>();
        for (PolicyRule rule : rules) {
            for (String grant : grants(rule)) {
                boolean used = calls.stream().anyMatch(call -> authorizedAs(call).stream()
                        .anyMatch(verb -> grant.startsWith(verb + " ")) && grantCovers(grant, call))
                        || NOT_EXERCISED_HERE.contains(grant);
                if (!used) {
                    unused.add(grant);
                }
            }
        }
        assertThat(unused).as("granted but never used").isEmpty();
        assertThat(rules).noneMatch(r -> r.getVerbs().contains("*") || r.getResources().contains("*"));
    }

    private void exerciseEveryPath() throws IOException {
        client.resource(TestModels.fromYaml("movies", NS, """
                model: {uri: 'https://models.example/movies/3'}
                serving: {autoscaling: {minReplicas: 1, maxReplicas: 3}}
                """)).create();
        await().atMost(WAIT).until(() -> client.genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor")
                .inNamespace(NS).withName("movies").get() != null
                && client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS).withName(MOVIES_3)
                        .get() != null);

        // Someone edits owned objects by hand: the operator puts them back (update calls).
        client.services().inNamespace(NS).withName("movies")
                .edit(s -> { s.getSpec().getSelector().put("app.kubernetes.io/instance", "x"); return s; });
        client.policy().v1().podDisruptionBudget().inNamespace(NS).withName(MOVIES_3)
                .edit(p -> { p.getSpec().setMaxUnavailable(new IntOrString(3)); return p; });
        client.genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor").inNamespace(NS)
                .withName("movies").edit(m -> { m.getMetadata().getLabels().remove("sequor.dev/model"); return m; });
        editSpec("movies", "model: {uri: 'https://models.example/movies/3'}\n"
                + "serving: {autoscaling: {minReplicas: 1, maxReplicas: 5}}");
        await().atMost(WAIT).until(() -> client.services().inNamespace(NS).withName("movies").get().getSpec()
                .getSelector().get("app.kubernetes.io/instance").equals("movies")
                && client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS).withName(MOVIES_3)
                        .get().getSpec().getMaxReplicas() == 5);

        // A new version without autoscaling: once its pods are ready the split moves to it (the router
        // pods are nudged), and the old version's objects go.
        editSpec("movies", "model: {uri: 'https://models.example/movies/4'}\nserving: {replicas: 2}");
        await().atMost(WAIT).until(() -> client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS)
                .withName(MOVIES_3).get() == null && client.apps().deployments().inNamespace(NS).withName(MOVIES_3).get() == null
                && client.pods().inNamespace(NS).withLabel("app.kubernetes.io/component", "router").list().getItems().stream()
                        .anyMatch(p -> p.getMetadata().getAnnotations() != null
                                && p.getMetadata().getAnnotations().containsKey("sequor.dev/split-hash")));

        // The same event twice (resolved, not, resolved again): the Event's count goes up.
        Path model = registry.resolve("books");
        Files.createDirectories(model.resolve("versions/1"));
        Files.createDirectories(model.resolve("aliases"));
        Files.writeString(model.resolve("aliases/champion"), "1\n");
        client.resource(TestModels.fromYaml("books", NS, "model: {registry: {name: books, alias: champion}}")).create();
        await().atMost(WAIT).until(() -> resolvedIs("books", true));
        Files.writeString(model.resolve("aliases/champion"), "2\n");
        editSpec("books", "model: {registry: {name: books, alias: champion}}\nserving: {replicas: 2}");
        await().atMost(WAIT).until(() -> resolvedIs("books", false));
        Files.writeString(model.resolve("aliases/champion"), "1\n");
        editSpec("books", "model: {registry: {name: books, alias: champion}}\nserving: {replicas: 3}");
        await().atMost(WAIT).until(() -> client.v1().events().inNamespace(NS).list().getItems().stream()
                .anyMatch(e -> e.getReason().equals("Resolved") && e.getCount() == 2));

        // With KEDA installed, autoscaling is a ScaledObject per Deployment; a new version replaces its own.
        RealCluster.installCrd(client, RealCluster.KEDA_CRD);
        try {
            String shows1 = TestModels.predictorForUri("shows", "https://models.example/shows/1");
            String shows2 = TestModels.predictorForUri("shows", "https://models.example/shows/2");
            client.resource(TestModels.fromYaml("shows", NS, """
                    model: {uri: 'https://models.example/shows/1'}
                    serving: {autoscaling: {minReplicas: 1, maxReplicas: 3}}
                    """)).create();
            await().atMost(WAIT).until(() -> scaledObject(shows1) != null && scaledObject("shows-router") != null);
            editSpec("shows", "model: {uri: 'https://models.example/shows/2'}\n"
                    + "serving: {autoscaling: {minReplicas: 1, maxReplicas: 4}}");
            await().atMost(WAIT).until(() -> scaledObject(shows1) == null && scaledObject(shows2) != null);
            // Gone before the CRD goes: a write to a terminating CRD's objects is refused (403), which
            // is not the RBAC refusal this test looks for.
            client.resources(RecommenderModel.class).inNamespace(NS).withName("shows").delete();
            await().atMost(WAIT).until(() -> OperatorHarness.get(client, NS, "shows") == null
                    && scaledObject(shows2) == null);
        } finally {
            RealCluster.uninstallCrd(client, "scaledobjects.keda.sh");
        }

        // A person's rollout action: acted on, then the annotation removed (a patch of the resource).
        client.resource(TestModels.fromYaml("tv", NS, """
                model: {uri: 'https://models.example/tv/1'}
                rollout:
                  strategy: Canary
                  steps: [{weight: 10, pause: 1m}]
                  analysis: {interval: 30s}
                """)).create();
        await().atMost(WAIT).until(() -> resolvedIs("tv", true));
        TestModels.annotate(client, NS, "tv", "sequor.dev/rollout-action", "pause");
        await().atMost(WAIT).until(() -> {
            Map<String, String> annotations = OperatorHarness.get(client, NS, "tv").getMetadata().getAnnotations();
            return annotations == null || !annotations.containsKey("sequor.dev/rollout-action");
        });

        // A retrain by annotation: the operator creates the training Job; the Job is deleted before it
        // finished, which the operator learns by asking for it by name (its cache no longer has it).
        Path music = registry.resolve("music");
        Files.createDirectories(music.resolve("versions/1"));
        Files.createDirectories(music.resolve("aliases"));
        Files.writeString(music.resolve("aliases/champion"), "1\n");
        client.resource(TestModels.fromYaml("music", NS, """
                model: {registry: {name: music, alias: champion}}
                rollout: {strategy: Canary, candidateAlias: candidate, steps: [{weight: 10}], analysis: {}}
                retraining:
                  job: {baseData: {uri: 'pvc://datasets/music.txt'}}
                """)).create();
        await().atMost(WAIT).until(() -> resolvedIs("music", true));
        TestModels.annotate(client, NS, "music", "sequor.dev/retrain", "now");
        await().atMost(WAIT).until(() -> !client.batch().v1().jobs().inNamespace(NS).list().getItems().isEmpty());
        client.batch().v1().jobs().inNamespace(NS).delete();
        await().atMost(WAIT).until(() -> {
            var training = OperatorHarness.get(client, NS, "music").getStatus().training();
            return training != null && training.runs() != null && "Failed".equals(training.runs().get(0).outcome());
        });

        // A registry reference with credentials: the operator reads the Secret, then MLflow is unreachable.
        client.resource(TestModels.fromYaml("games", NS, """
                model: {registry: {name: games-sasrec, version: '1', trackingUri: 'http://127.0.0.1:9', credentialsSecret: creds}}
                """)).create();
        await().atMost(WAIT).until(() -> {
            RecommenderModel m = OperatorHarness.get(client, NS, "games");
            return m.getStatus() != null && m.getStatus().condition("ModelResolved").isPresent();
        });
    }

    private GenericKubernetesResource scaledObject(String name) {
        return client.genericKubernetesResources("keda.sh/v1alpha1", "ScaledObject").inNamespace(NS).withName(name).get();
    }

    private boolean resolvedIs(String name, boolean resolved) {
        RecommenderModel m = OperatorHarness.get(client, NS, name);
        return m.getStatus() != null && m.getStatus().condition("ModelResolved").map(c -> c.isTrue() == resolved)
                .orElse(false);
    }

    private void editSpec(String name, String spec) {
        TestModels.replaceSpec(client, NS, name, spec);
    }

    private static ClusterRole clusterRole() {
        List<HasMetadata> objects = Kustomize.build("manifests/base");
        return objects.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast).findFirst()
                .orElseThrow();
    }

    /** A server-side apply that created its object (201) is authorized as patch and as create. */
    private static List<String> authorizedAs(AuditEntry call) {
        return call.verb().equals("patch") && call.code() == 201 ? List.of("patch", "create") : List.of(call.verb());
    }

    private static String resourceOf(AuditEntry call) {
        return call.subresource().isEmpty() ? call.resource() : call.resource() + "/" + call.subresource();
    }

    private static boolean allows(PolicyRule rule, AuditEntry call) {
        return rule.getApiGroups().contains(call.apiGroup()) && rule.getResources().contains(resourceOf(call))
                && rule.getVerbs().contains(call.verb())
                && (rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
                        || rule.getResourceNames().contains(call.name()));
    }

    /** A grant "verb group/resource[/name]" covers the call of that verb, resource and (if named) name. */
    private static boolean grantCovers(String grant, AuditEntry call) {
        String target = grant.substring(grant.indexOf(' ') + 1);
        String base = call.apiGroup() + "/" + resourceOf(call);
        return target.equals(base) || target.equals(base + "/" + call.name());
    }

    private static List<String> grants(PolicyRule rule) {
        List<String> grants = new ArrayList<>();
        for (String verb : rule.getVerbs()) {
            for (String resource : rule.getResources()) {
                String base = verb + " " + rule.getApiGroups().get(0) + "/" + resource;
                if (rule.getResourceNames() == null || rule.getResourceNames().isEmpty()) {
                    grants.add(base);
                } else {
                    rule.getResourceNames().forEach(n -> grants.add(base + "/" + n));
                }
            }
        }
        return grants;
    }
}
