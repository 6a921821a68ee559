package dev.sequor.operator.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequor.operator.testing.Kustomize;
import dev.sequor.operator.testing.RealCluster;
import dev.sequor.testing.Repo;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every kustomization builds, parses, and agrees with the code: CRD, service account, samples. */
class ManifestsTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Path CRD_FILE = Repo.root().resolve("crds/generated/recommendermodels.sequor.dev-v1.yml");

    @ParameterizedTest
    @ValueSource(strings = {"crds", "manifests/base", "manifests/overlays/dev", "manifests/overlays/production",
            "manifests/samples", "manifests/monitoring", "manifests/gitops/argocd"})
    void kustomizationBuildsIntoParseableObjects(String dir) {
        List<HasMetadata> objects = build(dir);
        assertThat(objects).isNotEmpty();
        assertThat(objects).allSatisfy(o -> {
            assertThat(o.getKind()).isNotBlank();
            assertThat(o.getMetadata().getName()).isNotBlank();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"manifests/base", "manifests/overlays/dev", "manifests/overlays/production"})
    void installCarriesTheGeneratedCrdAndAConsistentOperator(String dir) throws IOException {
        List<HasMetadata> objects = build(dir);
        CustomResourceDefinition committed = SERIALIZATION.unmarshal(Files.readString(CRD_FILE),
                CustomResourceDefinition.class);
        CustomResourceDefinition installed = only(objects, CustomResourceDefinition.class);
        assertThat(installed.getSpec()).isEqualTo(committed.getSpec());

        Deployment operator = only(objects, Deployment.class);
        ClusterRoleBinding binding = only(objects, ClusterRoleBinding.class);
        String serviceAccount = operator.getSpec().getTemplate().getSpec().getServiceAccountName();
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getName()).isEqualTo(serviceAccount);
            assertThat(s.getNamespace()).isEqualTo(operator.getMetadata().getNamespace());
        });
        assertThat(objects).anyMatch(o -> o.getKind().equals("ServiceAccount")
                && o.getMetadata().getName().equals(serviceAccount));
        assertThat(operator.getSpec().getTemplate().getSpec().getContainers().get(0).getReadinessProbe()
                .getHttpGet().getPath()).isEqualTo("/q/health/ready");
    }

    /** The samples as the real API server sees them: accepted by the installed CRD (server-side dry run). */
    @Test
    void everySampleIsAcceptedByTheApiServer() {
        KubernetesClient client = RealCluster.admin();
        String ns = RealCluster.newNamespace("samples");
        List<HasMetadata> models = build("manifests/samples").stream()
                .filter(o -> o.getKind().equals("RecommenderModel")).toList();
        assertThat(models).hasSize(3);
        for (HasMetadata model : models) {
            model.getMetadata().setNamespace(ns);
            client.resource(model).dryRun().fieldValidation(Validation.STRICT).create();
        }
        assertThat(models).extracting(m -> ((GenericKubernetesResource) m).get("spec", "serving", "resources", "gpu"))
                .contains(1);
        RealCluster.deleteNamespace(ns);
    }

    static List<HasMetadata> build(String dir) {
        return Kustomize.build(dir);
    }

    private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
        List<T> matches = objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(matches).as(type.getSimpleName()).hasSize(1);
        return matches.get(0);
    }
}
