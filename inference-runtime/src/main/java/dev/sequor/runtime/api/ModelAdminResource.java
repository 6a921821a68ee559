package dev.sequor.runtime.api;

import dev.sequor.modelpackage.InvalidPackageException;
import dev.sequor.runtime.config.RuntimeConfig;
import dev.sequor.runtime.inference.InferenceException;
import dev.sequor.runtime.inference.LoadedModel;
import dev.sequor.runtime.inference.ModelService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * Hot swap: load another package and switch to it without dropping requests. Off unless
 * sequor.admin.enabled is true (the operator rolls pods instead).
 */
@Path("/v1/admin/model")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ModelAdminResource {

    public record Load(String uri, String version) {
    }

    private final ModelService models;
    private final boolean enabled;

    public ModelAdminResource(ModelService models, RuntimeConfig config) {
        this.models = models;
        this.enabled = config.admin().enabled();
    }

    @POST
    public Map<String, Object> load(Load request) {
        if (!enabled) {
            throw new InferenceException(InferenceException.Kind.DISABLED, "the admin API is off (sequor.admin.enabled=false)");
        }
        if (request == null || request.uri() == null || request.uri().isBlank()) {
            throw InferenceException.invalid("uri is required");
        }
        try {
            LoadedModel m = models.load(request.uri(), request.version() == null ? "" : request.version());
            return Map.of("uri", m.uri(), "version", m.version(), "items", m.pkg().itemCount(),
                    "loadSeconds", m.loadSeconds());
        } catch (InvalidPackageException e) {
            throw new InferenceException(InferenceException.Kind.UNSERVABLE, "not loaded, still serving the previous model: " + e.getMessage());
        }
    }
}
