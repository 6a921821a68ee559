package dev.sequor.operator.reconciler;

import dev.sequor.analysis.rollout.Action;
import dev.sequor.api.v1alpha1.Reason;
import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.RecommenderModelStatus;
import dev.sequor.api.v1alpha1.ResolvedModel;
import dev.sequor.api.v1alpha1.VariantStatus;
import dev.sequor.contract.Role;
import dev.sequor.contract.Variant;
import dev.sequor.operator.config.OperatorConfig;
import dev.sequor.operator.model.Autoscalers;
import dev.sequor.operator.model.ClusterFeatures;
import dev.sequor.operator.model.DesiredState;
import dev.sequor.operator.model.Labels;
import dev.sequor.operator.model.ModelPackage;
import dev.sequor.operator.model.Names;
import dev.sequor.operator.model.RetrainingJob;
import dev.sequor.operator.model.OperatorDefaults;
import dev.sequor.operator.model.PredictorServiceMonitor;
import dev.sequor.operator.model.RouterService;
import dev.sequor.operator.model.ServedVersion;
import dev.sequor.operator.model.SplitConfigMap;
import dev.sequor.operator.registry.ModelResolutionException;
import dev.sequor.operator.registry.ModelResolver;
import dev.sequor.operator.registry.SecretLookup;
import dev.sequor.operator.registry.ServedVersions;
import dev.sequor.operator.retraining.RetrainingController;
import dev.sequor.operator.rollout.MetricSource;
import dev.sequor.operator.rollout.PrometheusMetricSource;
import dev.sequor.operator.rollout.RolloutAnalysis;
import dev.sequor.operator.rollout.RolloutController;
import dev.sequor.operator.rollout.RolloutPlans;
import dev.sequor.operator.status.DeploymentObservation;
import dev.sequor.operator.status.StatusBuilder;
import dev.sequor.routing.Route;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/** Observe (resolve the model), decide (desired state), apply, report (status and events). */
// Not generation-aware: the filter admits spec changes and a person's rollout action (an annotation),
// and leaves out the operator's own status writes.
@ControllerConfiguration(name = RecommenderModelReconciler.NAME, fieldManager = RecommenderModelReconciler.FIELD_MANAGER,
        generationAwareEventProcessing = false, informer = @Informer(onUpdateFilter = SpecOrActionChanged.class),
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
@GradualRetry(maxAttempts = 20, initialInterval = 2_000, intervalMultiplier = 2.0, maxInterval = 300_000)
public class RecommenderModelReconciler implements Reconciler<RecommenderModel> {

    public static final String NAME = "recommendermodel";
    /** The field manager of everything the operator applies (server-side apply) and of its status writes. */
    public static final String FIELD_MANAGER = "sequor-operator";
    private static final Logger LOG = Logger.getLogger(RecommenderModelReconciler.class);
    private static final ResourceDefinitionContext SCALED_OBJECTS = new ResourceDefinitionContext.Builder()
            .withGroup("keda.sh").withVersion("v1alpha1").withKind(Autoscalers.SCALED_OBJECT)
            .withPlural("scaledobjects").withNamespaced(true).build();
    private static final ResourceDefinitionContext SERVICE_MONITORS = new ResourceDefinitionContext.Builder()
            .withGroup("monitoring.coreos.com").withVersion("v1").withKind(PredictorServiceMonitor.KIND)
            .withPlural("servicemonitors").withNamespaced(true).build();

    private final OperatorDefaults defaults;
    private final ModelResolver resolver;
    private final Clock clock;
    private final CrdPresence serviceMonitors;
    private final CrdPresence keda;
    private final RolloutController rollouts;
    private final RetrainingController retraining;
    private final HandledRequests handledRetrainRequests = new HandledRequests();
    private final Duration registryPoll;
    public static final Duration DEFAULT_REGISTRY_POLL = Duration.ofSeconds(30);
    public static final RetrainingJob.Defaults DEFAULT_TRAINER = new RetrainingJob.Defaults(
            "ghcr.io/sequor-dev/trainer:0.1.0", "IfNotPresent");

    @Inject
    public RecommenderModelReconciler(OperatorConfig config) {
        this(config.defaults(), new ModelResolver(config.registry().mlflow().trackingUri(),
                config.registry().local().root(), config.registry().mlflow().timeout()), Clock.systemUTC(),
                CrdPresence.DEFAULT_TTL, config.analysisPrometheusUrl()
                        .<MetricSource>map(url -> new PrometheusMetricSource(url, config.analysis().queryTimeout()))
                        .orElse(MetricSource.NONE), config.analysis().registryPollInterval(),
                new RetrainingJob.Defaults(config.training().image(), config.runtime().imagePullPolicy()));
    }

    public RecommenderModelReconciler(OperatorDefaults defaults, ModelResolver resolver, Clock clock) {
        this(defaults, resolver, clock, CrdPresence.DEFAULT_TTL, MetricSource.NONE, DEFAULT_REGISTRY_POLL);
    }

    public RecommenderModelReconciler(OperatorDefaults defaults, ModelResolver resolver, Clock clock, Duration crdRecheck,
            MetricSource metrics, Duration registryPoll) {
        this(defaults, resolver, clock, crdRecheck, metrics, registryPoll, DEFAULT_TRAINER);
    }

    /**
     * @param crdRecheck how long the answer to "is this optional CRD installed?" is kept
     * @param metrics where rollout analysis reads its numbers (Prometheus)
     * @param registryPoll how often a resource with an analysed rollout asks its registry for a new
     *        candidate or champion when nothing else brings it back (registries send no events)
     * @param trainer the trainer image of retraining Jobs
     */
    public RecommenderModelReconciler(OperatorDefaults defaults, ModelResolver resolver, Clock clock, Duration crdRecheck,
            MetricSource metrics, Duration registryPoll, RetrainingJob.Defaults trainer) {
        this.registryPoll = registryPoll;
        this.defaults = defaults;
        this.resolver = resolver;
        this.clock = clock;
        this.serviceMonitors = new CrdPresence(PredictorServiceMonitor.CRD_NAME, clock, crdRecheck);
        this.keda = new CrdPresence(Autoscalers.KEDA_CRD, clock, crdRecheck);
        this.rollouts = new RolloutController(new RolloutAnalysis(metrics));
        this.retraining = new RetrainingController(metrics, trainer);
    }

    @Override
    public List<EventSource<?, RecommenderModel>> prepareEventSources(EventSourceContext<RecommenderModel> context) {
        return List.of(
                informer(Deployment.class, context),
                informer(Service.class, context),
                informer(PodDisruptionBudget.class, context),
                informer(HorizontalPodAutoscaler.class, context),
                informer(ConfigMap.class, context),
                informer(Job.class, context),
                // Router pods belong to ReplicaSets, not to the resource: mapped back by their model label.
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, RecommenderModel.class)
                        .withLabelSelector(Labels.MANAGED_BY_SELECTOR + "," + Labels.COMPONENT + "=" + Role.ROUTER)
                        .withSecondaryToPrimaryMapper(pod -> Set.of(new ResourceID(pod.getMetadata().getLabels()
                                .get(Labels.MODEL), pod.getMetadata().getNamespace())))
                        .build(), context));
    }

    private static <R extends HasMetadata> EventSource<R, RecommenderModel> informer(
            Class<R> type, EventSourceContext<RecommenderModel> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, RecommenderModel.class)
                .withLabelSelector(Labels.MANAGED_BY_SELECTOR)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(RecommenderModel.class))
                .build(), context);
    }

    @Override
    public UpdateControl<RecommenderModel> reconcile(RecommenderModel model, Context<RecommenderModel> context) {
        KubernetesClient client = context.getClient();
        SecretLookup secrets = (ns, name) -> secretData(client, ns, name);
        List<ServedVersion> versions = ServedVersions.resolve(model, resolver, secrets);
        ResolvedModel specResolved = versions.get(0).pkg().resolved();
        Map<String, Deployment> deployments = byName(context.getSecondaryResources(Deployment.class));
        Predicate<ServedVersion> ready = v -> DeploymentObservation.of(deployments.get(Names.predictor(model, v))).ready() > 0;
        Instant now = clock.instant();
        Optional<String> action = RolloutActions.requested(model);
        Optional<RolloutController.Outcome> rollout = RolloutPlans.analysed(model.getSpec().rollout())
                ? Optional.of(lookAtRollout(model, versions.get(0), secrets, deployments, ready, action, now))
                : Optional.empty();
        if (rollout.isPresent()) {
            versions = rollout.get().versions();
        }
        // KEDA matters only to a resource that autoscales, and only when the operator knows the Prometheus server.
        boolean kedaWanted = model.getSpec().servingOrDefault().autoscaling() != null
                && defaults.kedaPrometheusUrl().isPresent();
        ClusterFeatures features = new ClusterFeatures(serviceMonitors.present(client), kedaWanted && keda.present(client));
        DesiredState desired = DesiredState.of(model, versions, ready, defaults, features,
                servingChampion(model, deployments));

        Map<String, Deployment> applied = apply(model, desired, features, deployments, context);
        StatusReporter reporter = new StatusReporter(context);
        RecommenderModelStatus status = status(model, specResolved, versions, desired, applied, rollout);
        Retraining.Result training = Retraining.look(retraining, model, status, context.getSecondaryResources(Job.class),
                client, resolver, secrets, reporter, handledRetrainRequests, now);
        rollout.ifPresent(r -> RolloutActions.recordEvents(reporter, model, r, now));
        action.ifPresent(a -> RolloutActions.clear(client, model, a, reporter, now));
        // Back for the next analysis or trigger look, and at least every registry poll (registries send no events).
        Optional<Duration> next = Stream.of(rollout.flatMap(RolloutController.Outcome::lookAgainIn),
                training.lookAgainIn(), rollout.isPresent() ? Optional.of(registryPoll) : Optional.<Duration>empty())
                .flatMap(Optional::stream).min(Duration::compareTo);
        UpdateControl<RecommenderModel> control = UpdateControl.noUpdate();
        return next.map(d -> control.rescheduleAfter(d.plusMillis(100))).orElse(control);
    }

    /** One look at an analysed rollout; a promotion moves the champion alias before anything is served. */
    private RolloutController.Outcome lookAtRollout(RecommenderModel model, ServedVersion champion, SecretLookup secrets,
            Map<String, Deployment> deployments, Predicate<ServedVersion> ready, Optional<String> action, Instant now) {
        RolloutController.Outcome outcome = rollouts.look(model, champion,
                ServedVersions.candidateFromAlias(model, resolver, secrets), servingChampion(model, deployments),
                ready, action.flatMap(Action::parse), now);
        if (outcome.promoteAlias().isPresent()) {
            String alias = outcome.promoteAlias().get();
            String version = outcome.versions().get(0).version();
            try {
                resolver.setAlias(model.getSpec().model(), model.getMetadata().getNamespace(), secrets, alias, version);
            } catch (ModelResolutionException e) {
                // Nothing changed: the candidate keeps its weight, and the next look decides again.
                throw new ModelResolutionException(Reason.PROMOTION_FAILED, "Could not move alias " + alias
                        + " to version " + version + ": " + e.getMessage(), e);
            }
        }
        return outcome;
    }

    /** Applies the desired objects, deletes the owned ones no longer desired; the Deployments as applied. */
    private Map<String, Deployment> apply(RecommenderModel model, DesiredState desired, ClusterFeatures features,
            Map<String, Deployment> cachedDeployments, Context<RecommenderModel> context) {
        KubernetesClient client = context.getClient();
        ResourceApplier applier = new ResourceApplier(context, model);
        Map<String, Deployment> applied = new HashMap<>();
        for (Deployment d : desired.deployments()) {
            applied.put(d.getMetadata().getName(), applier.apply(d,
                    Optional.ofNullable(cachedDeployments.get(d.getMetadata().getName())), client::resource));
        }
        applyAll(applier, desired.services(), Service.class, context, client);
        applyAll(applier, desired.disruptionBudgets(), PodDisruptionBudget.class, context, client);
        applyAll(applier, desired.autoscalers(), HorizontalPodAutoscaler.class, context, client);
        ConfigMap cachedSplit = byName(context.getSecondaryResources(ConfigMap.class))
                .get(desired.splitConfigMap().getMetadata().getName());
        boolean splitChanged = cachedSplit != null && !desired.splitConfigMap().getData().equals(cachedSplit.getData());
        applyAll(applier, List.of(desired.splitConfigMap()), ConfigMap.class, context, client);
        RouterNudge.nudge(client, context.getSecondaryResources(Pod.class), desired.split().toJson(), splitChanged);
        // Versions that left the split (a finished or withdrawn candidate) and objects of older layouts go.
        applier.deleteUndesired(Deployment.class, keep(desired.deployments(), desired));
        applier.deleteUndesired(Service.class, keep(desired.services(), desired));
        applier.deleteUndesired(PodDisruptionBudget.class, keep(desired.disruptionBudgets(), desired));
        applier.deleteUndesired(HorizontalPodAutoscaler.class, keep(desired.autoscalers(), desired));
        String ns = model.getMetadata().getNamespace();
        for (GenericKubernetesResource scaledObject : desired.scaledObjects()) {
            applier.apply(scaledObject, Optional.empty(),
                    o -> client.genericKubernetesResources(SCALED_OBJECTS).inNamespace(ns).resource(o));
        }
        if (features.keda()) {
            // No informer (the CRD may be absent): the model's ScaledObjects are listed by label.
            Set<String> wanted = keep(desired.scaledObjects(), desired);
            client.genericKubernetesResources(SCALED_OBJECTS).inNamespace(ns)
                    .withLabels(Map.of(Labels.INSTANCE, model.getMetadata().getName(), Labels.MANAGED_BY, Labels.OPERATOR))
                    .list().getItems().stream().filter(o -> !wanted.contains(o.getMetadata().getName()))
                    .forEach(o -> client.genericKubernetesResources(SCALED_OBJECTS).inNamespace(ns).resource(o).delete());
        }
        if (desired.serviceMonitor().isPresent()) {
            applier.apply(desired.serviceMonitor().get(), Optional.empty(),
                    m -> client.genericKubernetesResources(SERVICE_MONITORS).inNamespace(ns).resource(m));
        }
        applied.putIfAbsent(Names.predictor(model, desired.servingChampion()),
                cachedDeployments.get(Names.predictor(model, desired.servingChampion())));
        return applied;
    }

    private RecommenderModelStatus status(RecommenderModel model, ResolvedModel specResolved, List<ServedVersion> versions,
            DesiredState desired, Map<String, Deployment> applied, Optional<RolloutController.Outcome> rollout) {
        ServedVersion champion = desired.servingChampion();
        StatusBuilder.Observed observed = new StatusBuilder.Observed(
                DeploymentObservation.of(applied.get(Names.predictor(model, champion))),
                DeploymentObservation.of(applied.get(Names.router(model))));
        List<ServedVersion> serving = new ArrayList<>(versions);
        serving.set(0, champion);
        List<VariantStatus> variants = serving.stream().map(v -> new VariantStatus(v.variant(), v.pkg().resolved(),
                desired.split().variant(v.variant()).map(Route::weight).orElse(0), Names.predictor(model, v),
                DeploymentObservation.of(applied.get(Names.predictor(model, v))).ready())).toList();
        String switching = desired.switchingChampion() ? "Switching the champion to version " + versions.get(0).version()
                + " once its pods are ready; version " + champion.version() + " serves until then." : null;
        StatusBuilder.Rollout report = rollout.map(r -> new StatusBuilder.Rollout(r.candidate(), r.history(),
                r.progressing().orElse(null), r.degraded().map(RolloutController.Degraded::reason).orElse(null),
                r.degraded().map(RolloutController.Degraded::message).orElse(null)))
                .orElseGet(() -> model.getStatus() == null ? StatusBuilder.Rollout.NONE
                        : new StatusBuilder.Rollout(null, model.getStatus().history(), null, null, null));
        return StatusBuilder.resolved(model, specResolved, observed, RouterService.endpoint(model, defaults),
                new StatusBuilder.Serving(variants, SplitConfigMap.describe(desired.split()), champion.pkg().resolved(),
                        switching, report), clock.instant());
    }

    private static <R extends HasMetadata> void applyAll(ResourceApplier applier, List<R> desired, Class<R> type,
            Context<RecommenderModel> context, KubernetesClient client) {
        Map<String, R> cached = byName(context.getSecondaryResources(type));
        for (R r : desired) {
            applier.apply(r, Optional.ofNullable(cached.get(r.getMetadata().getName())), client::resource);
        }
    }

    private static <R extends HasMetadata> Map<String, R> byName(Set<R> resources) {
        Map<String, R> map = new HashMap<>();
        resources.forEach(r -> map.put(r.getMetadata().getName(), r));
        return map;
    }

    private static Set<String> keep(List<? extends HasMetadata> resources, DesiredState desired) {
        Set<String> names = resources.stream().map(r -> r.getMetadata().getName()).collect(Collectors.toSet());
        names.addAll(desired.retained());
        return names;
    }

    /**
     * The champion served so far (status), while its pods are still ready: it keeps serving until
     * a new champion's pods are.
     */
    private static Optional<ServedVersion> servingChampion(RecommenderModel model, Map<String, Deployment> deployments) {
        RecommenderModelStatus status = model.getStatus();
        if (status == null || status.variants() == null || status.variants().isEmpty()) {
            return Optional.empty();
        }
        ServedVersion previous = new ServedVersion(Variant.CHAMPION,
                new ModelPackage(status.variants().get(0).model(), null, null), 100);
        return DeploymentObservation.of(deployments.get(Names.predictor(model, previous))).ready() > 0
                ? Optional.of(previous) : Optional.empty();
    }

    /** The champion's predictor and the routers, as the informers see them. */
    private StatusBuilder.Observed observe(RecommenderModel model, Context<RecommenderModel> context) {
        Map<String, Deployment> deployments = byName(context.getSecondaryResources(Deployment.class));
        RecommenderModelStatus status = model.getStatus();
        String champion = status == null || status.variants() == null || status.variants().isEmpty() ? null
                : status.variants().get(0).deployment();
        return new StatusBuilder.Observed(DeploymentObservation.of(champion == null ? null : deployments.get(champion)),
                DeploymentObservation.of(deployments.get(Names.router(model))));
    }

    /**
     * Failures leave the serving objects as they are, show in status and events, and are retried
     * with exponential backoff by the SDK.
     */
    @Override
    public ErrorStatusUpdateControl<RecommenderModel> updateErrorStatus(RecommenderModel model,
            Context<RecommenderModel> context, Exception e) {
        KubernetesClient client = context.getClient();
        StatusBuilder.Observed deployment = observe(model, context);
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
        new StatusReporter(context).report(model, next, clock.instant());
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
