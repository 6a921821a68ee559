package dev.sequor.operator.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sequor.api.v1alpha1.Endpoint;
import dev.sequor.api.v1alpha1.Reason;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.ResolvedModel;
import dev.sequor.operator.registry.ModelResolutionException;
import dev.sequor.operator.status.DeploymentObservation;
import dev.sequor.operator.status.StatusBuilder;
import dev.sequor.operator.testing.TestModels;
import dev.sequor.testing.Repo;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/** The Argo CD health check, run in a Lua VM on statuses the operator really produces. */
class ArgoHealthCheckTest {

    private static final Instant NOW = Instant.parse("2026-05-01T00:00:00Z");
    private static final ResolvedModel V3 = new ResolvedModel("movies-sasrec", "3", "champion", "mlflow-artifacts:/m");
    private static final Endpoint ENDPOINT = new Endpoint("http://movies.recs.svc:8080", "movies.recs.svc:9000");

    private static final StatusBuilder.Serving SERVING = new StatusBuilder.Serving(null, "champion v7 100%");

    /** The champion as observed, with two ready routers (or none when nothing exists yet). */
    private static StatusBuilder.Observed observed(DeploymentObservation champion) {
        return new StatusBuilder.Observed(champion, champion.exists()
                ? new DeploymentObservation(true, 2, 2, 2, 2, true, null) : DeploymentObservation.ABSENT);
    }

    @Test
    void noStatusYetIsProgressing() throws Exception {
        assertThat(health(model())).containsEntry("status", "Progressing");
    }

    @Test
    void servingModelIsHealthy() throws Exception {
        RecommenderModel m = model();
        m.setStatus(StatusBuilder.resolved(m, V3, observed(new DeploymentObservation(true, 2, 2, 2, 2, true, null)), ENDPOINT, SERVING, NOW));
        assertThat(health(m)).containsEntry("status", "Healthy");
    }

    @Test
    void rollingOutIsProgressing() throws Exception {
        RecommenderModel m = model();
        m.setStatus(StatusBuilder.resolved(m, V3, observed(new DeploymentObservation(true, 2, 1, 1, 3, true, null)), ENDPOINT, SERVING, NOW));
        assertThat(health(m)).containsEntry("status", "Progressing");
    }

    @Test
    void registryFailureIsDegradedWithTheOperatorsMessage() throws Exception {
        RecommenderModel m = model();
        m.setStatus(StatusBuilder.resolutionFailed(m, new ModelResolutionException(Reason.ALIAS_NOT_FOUND,
                "Registered model 'movies-sasrec' has no alias 'champion'."), observed(DeploymentObservation.ABSENT), NOW));
        assertThat(health(m)).containsEntry("status", "Degraded")
                .hasEntrySatisfying("message", msg -> assertThat(msg).contains("no alias 'champion'"));
    }

    @Test
    void statusOfAnOlderGenerationIsProgressing() throws Exception {
        RecommenderModel m = model();
        m.setStatus(StatusBuilder.resolved(m, V3, observed(new DeploymentObservation(true, 2, 2, 2, 2, true, null)), ENDPOINT, SERVING, NOW));
        m.getMetadata().setGeneration(2L);
        assertThat(health(m)).containsEntry("status", "Progressing");
    }

    @Test
    void scaledToZeroIsSuspended() throws Exception {
        RecommenderModel m = model();
        m.setStatus(StatusBuilder.resolved(m, V3, observed(new DeploymentObservation(true, 0, 0, 0, 0, true, null)), ENDPOINT, SERVING, NOW));
        assertThat(health(m)).containsEntry("status", "Suspended");
    }

    private static RecommenderModel model() {
        return TestModels.stored("movies", "recs", "model: {registry: {name: movies-sasrec, alias: champion}}");
    }

    private static Map<String, String> health(RecommenderModel model) throws Exception {
        JsonNode patch = new ObjectMapper(new YAMLFactory()).readTree(
                Repo.root().resolve("manifests/gitops/argocd/argocd-cm-health-patch.yaml").toFile());
        String script = patch.path("data").path("resource.customizations.health.sequor.dev_RecommenderModel").asText();
        Globals lua = JsePlatform.standardGlobals();
        lua.set("obj", toLua(new ObjectMapper().valueToTree(model)));
        LuaValue result = lua.load(script, "health").call();
        return Map.of("status", result.get("status").tojstring(), "message", result.get("message").tojstring());
    }

    private static LuaValue toLua(JsonNode node) {
        if (node.isObject()) {
            LuaTable table = new LuaTable();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                table.set(e.getKey(), toLua(e.getValue()));
            }
            return table;
        }
        if (node.isArray()) {
            LuaTable table = new LuaTable();
            for (int i = 0; i < node.size(); i++) {
                table.set(i + 1, toLua(node.get(i)));
            }
            return table;
        }
        if (node.isNumber()) {
            return LuaValue.valueOf(node.asDouble());
        }
        if (node.isBoolean()) {
            return LuaValue.valueOf(node.asBoolean());
        }
        return node.isNull() ? LuaValue.NIL : LuaValue.valueOf(node.asText());
    }
}
