package dev.sequor.operator.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.operator.testing.OperatorHarness;
import dev.sequor.operator.testing.TestModels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the operator through its scenarios against the mock API server, records every call it
 * makes, and checks the ClusterRole in manifests/base allows each one and grants nothing unused.
 */
@EnableKubernetesMockClient(crud = true)
class RbacCoverageTest {

    private static final String NS = "recs";
    private static final String OPERATOR_AGENT = "sequor-operator-under-test";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Granted but not called in this scenario, each for a reason outside it. */
    private static final Set<String> NOT_EXERCISED_HERE = Set.of(
            // Needed by the OwnerReferencesPermissionEnforcement admission plugin, not an API call.
            "update sequor.dev/recommendermodels/finalizers",
            // The Quarkus SDK's start-up CRD check (OperatorApplicationTest runs it).
            "get apiextensions.k8s.io/customresourcedefinitions/recommendermodels.sequor.dev");

    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void clusterRoleCoversExactlyWhatTheOperatorCalls() throws Exception {
        OperatorHarness.installCrd(client, "/servicemonitors-crd.yml");
        KubernetesClient operatorClient = new KubernetesClientBuilder().withConfig(
                new ConfigBuilder(client.getConfiguration()).withUserAgent(OPERATOR_AGENT).build()).build();
        OperatorHarness.installRecommenderModelCrd(client);
        try (OperatorHarness ignored = OperatorHarness.run(operatorClient, Optional.empty(), Optional.empty())) {
            exerciseEveryPath();
        }
        Set<String> calls = recordedOperatorCalls();
        List<PolicyRule> rules = clusterRole().getRules();

        assertThat(calls).allSatisfy(call -> assertThat(rules.stream().anyMatch(r -> allows(r, call)))
                .as("ClusterRole allows '%s'", call).isTrue());
        Set<String> unused = new TreeSet<>();
        for (PolicyRule rule : rules) {
            for (String grant : grants(rule)) {
                boolean used = calls.stream().anyMatch(call -> allows(rule, call) && grant.startsWith(verb(call)))
                        || NOT_EXERCISED_HERE.contains(grant);
                if (!used) {
                    unused.add(grant);
                }
            }
        }
        assertThat(unused).as("granted but never used").isEmpty();
        assertThat(rules).noneMatch(r -> r.getVerbs().contains("*") || r.getResources().contains("*"));
    }

    private void exerciseEveryPath() {
        client.resource(TestModels.fromYaml("movies", NS, """
                model: {uri: 'https://models.example/movies/3'}
                serving: {autoscaling: {minReplicas: 1, maxReplicas: 3}}
                """)).create();
        await().atMost(WAIT).until(() -> client.genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor")
                .inNamespace(NS).withName("movies-predictor").get() != null
                && client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS).withName("movies-predictor")
                        .get() != null);

        // Someone edits owned objects by hand: the operator puts them back (update calls).
        client.services().inNamespace(NS).withName("movies")
                .edit(s -> { s.getSpec().getPorts().get(0).setPort(1234); return s; });
        client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("movies-predictor")
                .edit(p -> { p.getSpec().setMaxUnavailable(new IntOrString(3)); return p; });
        client.genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor").inNamespace(NS)
                .withName("movies-predictor").edit(m -> { m.getMetadata().getLabels().remove("sequor.dev/model"); return m; });
        editSpec("movies", "model: {uri: 'https://models.example/movies/3'}\n"
                + "serving: {autoscaling: {minReplicas: 1, maxReplicas: 5}}");
        await().atMost(WAIT).until(() -> client.services().inNamespace(NS).withName("movies").get().getSpec()
                .getPorts().get(0).getPort() == 8080
                && client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS).withName("movies-predictor")
                        .get().getSpec().getMaxReplicas() == 5);

        // Autoscaling off: the Deployment changes and the autoscaler goes.
        editSpec("movies", "model: {uri: 'https://models.example/movies/4'}\nserving: {replicas: 2}");
        await().atMost(WAIT).until(() -> client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS)
                .withName("movies-predictor").get() == null);

        // A registry reference with credentials: the operator reads the Secret, then MLflow is unreachable.
        client.resource(TestModels.fromYaml("games", NS, """
                model: {registry: {name: games-sasrec, version: '1', trackingUri: 'http://127.0.0.1:9', credentialsSecret: creds}}
                """)).create();
        await().atMost(WAIT).until(() -> {
            RecommenderModel m = OperatorHarness.get(client, NS, "games");
            return m.getStatus() != null && m.getStatus().condition("ModelResolved").isPresent();
        });
    }

    private void editSpec(String name, String spec) {
        TestModels.replaceSpec(client, NS, name, spec);
    }

    /** Each call as "verb group/resource[/subresource][/name]", the name only for by-name reads. */
    private Set<String> recordedOperatorCalls() throws InterruptedException {
        Set<String> calls = new TreeSet<>();
        RecordedRequest request;
        while ((request = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            if (OPERATOR_AGENT.equals(request.getHeader("User-Agent"))) {
                ApiCall.parse(request.getMethod(), URI.create(request.getPath())).ifPresent(c -> calls.add(c.toString()));
            }
        }
        assertThat(calls).as("operator calls recorded").isNotEmpty();
        return calls;
    }

    private static ClusterRole clusterRole() {
        List<HasMetadata> objects = ManifestsTest.build("manifests/base");
        return objects.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast).findFirst()
                .orElseThrow();
    }

    private static boolean allows(PolicyRule rule, String call) {
        ApiCall c = ApiCall.fromString(call);
        return rule.getApiGroups().contains(c.group()) && rule.getResources().contains(c.resource())
                && rule.getVerbs().contains(c.verb())
                && (rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
                        || rule.getResourceNames().contains(c.name()));
    }

    private static List<String> grants(PolicyRule rule) {
        List<String> grants = new java.util.ArrayList<>();
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

    private static String verb(String call) {
        return call.substring(0, call.indexOf(' '));
    }

    /** A Kubernetes API request reduced to what RBAC decides on. */
    record ApiCall(String verb, String group, String resource, String name) {

        static Optional<ApiCall> parse(String method, URI uri) {
            String[] p = uri.getPath().replaceFirst("^/", "").split("/");
            int i;
            String group;
            if (p[0].equals("api") && p.length > 2) {
                group = "";
                i = 2;
            } else if (p[0].equals("apis") && p.length > 3) {
                group = p[1];
                i = 3;
            } else {
                return Optional.empty();
            }
            if (p[i].equals("namespaces") && p.length > i + 2) {
                i += 2;
            }
            String resource = p[i];
            String name = p.length > i + 1 ? p[i + 1] : null;
            if (p.length > i + 2) {
                resource = resource + "/" + p[i + 2];
            }
            boolean watch = uri.getQuery() != null && uri.getQuery().contains("watch=true");
            String verb = switch (method) {
                case "GET" -> name != null ? "get" : watch ? "watch" : "list";
                case "POST" -> "create";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> "delete";
                default -> method.toLowerCase();
            };
            return Optional.of(new ApiCall(verb, group, resource, name));
        }

        static ApiCall fromString(String s) {
            String[] parts = s.split(" ", 2);
            String[] path = parts[1].split("/");
            String resource = path[1];
            String name = null;
            if (path.length == 3) {
                if (path[2].equals("status") || path[2].equals("finalizers")) {
                    resource = resource + "/" + path[2];
                } else {
                    name = path[2];
                }
            }
            return new ApiCall(parts[0], path[0], resource, name);
        }

        @Override
        public String toString() {
            boolean byName = verb.equals("get") && name != null && !resource.contains("/");
            return verb + " " + group + "/" + resource + (byName && group.equals("apiextensions.k8s.io") ? "/" + name : "");
        }
    }
}
