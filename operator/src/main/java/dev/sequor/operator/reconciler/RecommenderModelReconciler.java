package dev.sequor.operator.reconciler;

import dev.sequor.api.v1alpha1.Reason;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.RecommenderModelStatus;
import dev.sequor.operator.config.OperatorConfig;
import dev.sequor.operator.model.DesiredState;
import dev.sequor.operator.model.Labels;
import dev.sequor.operator.model.ModelPackage;
import dev.sequor.operator.model.OperatorDefaults;
import dev.sequor.operator.model.PredictorService;
import dev.sequor.operator.model.PredictorServiceMonitor;
import dev.sequor.operator.registry.ModelResolutionException;
import dev.sequor.operator.registry.ModelResolver;
import dev.sequor.operator.status.DeploymentObservation;
import dev.sequor.operator.status.StatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** Observe (resolve the model), decide (desired state), apply, report (status and events). */
@ControllerConfiguration(name = RecommenderModelReconciler.NAME, fieldManager = RecommenderModelReconciler.FIELD_MANAGER,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
@GradualRetry(maxAttempts = 20, initialInterval = 2_000, intervalMultiplier = 2.0, maxInterval = 300_000)
public class RecommenderModelReconciler implements Reconciler<RecommenderModel> {

    public static final String NAME = "recommendermodel";
    /** The field manager of everything the operator applies (server-side apply) and of its status writes. */
    public static final String FIELD_MANAGER = "sequor-operator";
    private static final Logger LOG = Logger.getLogger(RecommenderModelReconciler.class);
    private static final ResourceDefinitionContext SERVICE_MONITORS = new ResourceDefinitionContext.Builder()
            .withGroup("monitoring.coreos.com").withVersion("v1").withKind(PredictorServiceMonitor.KIND)
            .withPlural("servicemonitors").withNamespaced(true).build();

    private final OperatorDefaults defaults;
    private final ModelResolver resolver;
    private final Clock clock;
    private final CrdPresence serviceMonitors;

    @Inject
    public RecommenderModelReconciler(OperatorConfig config) {
        this(config.defaults(), new ModelResolver(config.registry().mlflow().trackingUri(),
                config.registry().local().root(), config.registry().mlflow().timeout()), Clock.systemUTC());
    }

    public RecommenderModelReconciler(OperatorDefaults defaults, ModelResolver resolver, Clock clock) {
        this.defaults = defaults;
        this.resolver = resolver;
        this.clock = clock;
        this.serviceMonitors = new CrdPresence(PredictorServiceMonitor.CRD_NAME, clock);
    }

    @Override
    public List<EventSource<?, RecommenderModel>> prepareEventSources(EventSourceContext<RecommenderModel> context) {
        return List.of(
                informer(Deployment.class, context),
                informer(Service.class, context),
                informer(PodDisruptionBudget.class, context),
                informer(HorizontalPodAutoscaler.class, context));
    }

    private static <R extends io.fabric8.kubernetes.api.model.HasMetadata> EventSource<R, RecommenderModel> informer(
            Class<R> type, EventSourceContext<RecommenderModel> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, RecommenderModel.class)
                .withLabelSelector(Labels.MANAGED_BY_SELECTOR)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(RecommenderModel.class))
                .build(), context);
    }

    @Override
    public UpdateControl<RecommenderModel> reconcile(RecommenderModel model, Context<RecommenderModel> context) {
        KubernetesClient client = context.getClient();
        ModelPackage pkg = resolver.resolve(model, (ns, name) -> secretData(client, ns, name));
        DesiredState desired = DesiredState.of(model, pkg, defaults, serviceMonitors.present(client));

        ResourceApplier applier = new ResourceApplier(context, model);
        String ns = model.getMetadata().getNamespace();
        Deployment deployment = applier.apply(desired.deployment(),
                context.getSecondaryResource(Deployment.class), client::resource);
        applier.apply(desired.service(), context.getSecondaryResource(Service.class), client::resource);
        applier.apply(desired.disruptionBudget(), context.getSecondaryResource(PodDisruptionBudget.class),
                client::resource);
        desired.autoscaler().ifPresent(hpa -> applier.apply(hpa,
                context.getSecondaryResource(HorizontalPodAutoscaler.class), client::resource));
        applier.deleteUndesired(HorizontalPodAutoscaler.class,
                desired.autoscaler().map(h -> Set.of(h.getMetadata().getName())).orElse(Set.of()));
        if (desired.serviceMonitor().isPresent()) {
            applier.apply(desired.serviceMonitor().get(), Optional.empty(),
                    m -> client.genericKubernetesResources(SERVICE_MONITORS).inNamespace(ns).resource(m));
        }

        RecommenderModelStatus next = StatusBuilder.resolved(model, pkg.resolved(), DeploymentObservation.of(deployment),
                PredictorService.endpoint(model, defaults), clock.instant());
        new StatusReporter(client).report(model, next, clock.instant());
        return UpdateControl.noUpdate();
    }

    /**
     * Failures leave the serving objects as they are, show in status and events, and are retried
     * with exponential backoff by the SDK.
     */
    @Override
    public ErrorStatusUpdateControl<RecommenderModel> updateErrorStatus(RecommenderModel model,
            Context<RecommenderModel> context, Exception e) {
        KubernetesClient client = context.getClient();
        DeploymentObservation deployment = DeploymentObservation.of(
                context.getSecondaryResource(Deployment.class).orElse(null));
        RecommenderModelStatus next;
        Optional<ModelResolutionException> resolution = causeOfType(e, ModelResolutionException.class);
        if (resolution.isPresent()) {
            LOG.warnf("%s/%s: %s", model.getMetadata().getNamespace(), model.getMetadata().getName(),
                    resolution.get().getMessage());
            next = StatusBuilder.resolutionFailed(model, resolution.get(), deployment, clock.instant());
        } else {
            Optional<ObjectConflictException> conflict = causeOfType(e, ObjectConflictException.class);
            Reason reason = conflict.isPresent() ? Reason.OBJECT_CONFLICT : Reason.RECONCILE_FAILED;
            String message = conflict.map(Throwable::getMessage).orElse("Reconciliation failed: " + e.getMessage());
            LOG.errorf(e, "%s/%s: %s", model.getMetadata().getNamespace(), model.getMetadata().getName(), message);
            next = StatusBuilder.reconcileFailed(model, reason, message, deployment, clock.instant());
        }
        new StatusReporter(client).report(model, next, clock.instant());
        return ErrorStatusUpdateControl.noStatusUpdate();
    }

    private static Optional<Map<String, String>> secretData(KubernetesClient client, String namespace, String name) {
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            return Optional.empty();
        }
        Map<String, String> data = new HashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v),
                    StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            data.putAll(secret.getStringData());
        }
        return Optional.of(data);
    }

    private static <T extends Throwable> Optional<T> causeOfType(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }
}
