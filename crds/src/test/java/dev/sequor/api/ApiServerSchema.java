package dev.sequor.api;

import static org.assertj.core.api.Assertions.assertThat;
import dev.sequor.testing.KubeControlPlane;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The committed CRD installed in a real API server, and resources sent to it by server-side dry
 * run with strict field validation, as kubectl sends them: nothing is stored. What the schema
 * tests share.
 */
abstract class ApiServerSchema {

    static final String NS = "schema";
    static KubernetesClient client;

    @BeforeAll
    static void installCrd() throws IOException {
        KubeControlPlane plane = KubeControlPlane.shared();
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl(plane.url()).withOauthToken(plane.adminToken())
                .withTrustCerts(true).withDisableHostnameVerification(true).build()).build();
        CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(
                Files.readString(CrdGeneration.committedCrd()), CustomResourceDefinition.class);
        client.resource(crd).fieldManager("sequor-test").forceConflicts().serverSideApply();
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .fieldManager("sequor-test").serverSideApply();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!established(crd.getMetadata().getName())) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("CRD not established after 30 s");
            }
            Thread.onSpinWait();
        }
    }

    @AfterAll
    static void close() {
        client.close();
    }

    static final String HEAD = """
            apiVersion: sequor.dev/v1alpha1
            kind: RecommenderModel
            metadata: {name: movies, namespace: recs}
            """;

    static void accept(String yaml) {
        client.resource(parse(yaml)).dryRun().fieldValidation(Validation.STRICT).create();
    }

    /** The API server's answer to a create that must be refused. */
    static String refusal(String yaml) {
        try {
            client.resource(parse(yaml)).dryRun().fieldValidation(Validation.STRICT).create();
        } catch (KubernetesClientException e) {
            // 422 for schema and CEL violations, 400 for unknown fields under strict validation.
            assertThat(e.getCode()).as("HTTP status of the refusal: %s", e.getMessage()).isIn(400, 422);
            return e.getMessage();
        }
        throw new AssertionError("the API server accepted:\n" + yaml);
    }

    private static GenericKubernetesResource parse(String yaml) {
        GenericKubernetesResource r = client.getKubernetesSerialization().unmarshal(yaml,
                GenericKubernetesResource.class);
        r.getMetadata().setNamespace(NS);
        return r;
    }

    private static boolean established(String name) {
        CustomResourceDefinition served = client.apiextensions().v1().customResourceDefinitions().withName(name).get();
        return served != null && served.getStatus() != null && served.getStatus().getConditions() != null
                && served.getStatus().getConditions().stream()
                        .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
    }
}
