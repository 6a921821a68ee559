package dev.sequor.operator.cli;

import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.RecommenderModelStatus;
import dev.sequor.operator.model.ClusterFeatures;
import dev.sequor.operator.model.DesiredState;
import dev.sequor.operator.model.OperatorDefaults;
import dev.sequor.operator.model.RouterService;
import dev.sequor.operator.model.ServedVersion;
import dev.sequor.operator.model.SplitConfigMap;
import dev.sequor.operator.registry.ModelResolutionException;
import dev.sequor.operator.registry.ModelResolver;
import dev.sequor.operator.registry.ServedVersions;
import dev.sequor.operator.status.StatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Shows what the operator would do with RecommenderModel files, with no cluster: resolves each
 * model (local directory registry or MLflow) and prints the objects it would apply and the status
 * it would report. Like {@code helm template} for Sequor.
 */
@Command(name = "render", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Prints the Kubernetes objects the operator would create for RecommenderModel files.")
public final class Render implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "1..*",
            description = "YAML files holding RecommenderModel resources (other kinds are skipped)")
    List<Path> files = new ArrayList<>();

    @Option(names = "--registry", paramLabel = "DIR",
            description = "local directory registry (DIR/<model>/versions/<n>, DIR/<model>/aliases/<alias>)")
    Optional<Path> registry = Optional.empty();

    @Option(names = "--mlflow", paramLabel = "URL", description = "MLflow tracking server for registry references")
    Optional<String> mlflow = Optional.empty();

    @Option(names = "--namespace", paramLabel = "NS", defaultValue = "default",
            description = "namespace for resources that name none (default: ${DEFAULT-VALUE})")
    String namespace;

    @Option(names = "--image", paramLabel = "IMAGE", defaultValue = "ghcr.io/sequor-dev/inference-runtime:0.1.0",
            description = "inference runtime image (default: ${DEFAULT-VALUE})")
    String image;

    private final PrintStream out;
    private final PrintStream err;

    Render(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(new Render(System.out, System.err), args));
    }

    /** Exit codes: 0 all rendered, 1 a file or model failed, 2 bad usage. */
    static int run(Render render, String... args) {
        return new CommandLine(render)
                .setOut(new java.io.PrintWriter(render.out, true))
                .setErr(new java.io.PrintWriter(render.err, true))
                .execute(args);
    }

    @Override
    public Integer call() {
        return render(files, new ModelResolver(mlflow, registry, Duration.ofSeconds(20)),
                OperatorDefaults.standard(image), namespace);
    }

    private int render(List<Path> files, ModelResolver resolver, OperatorDefaults defaults, String namespace) {
        KubernetesSerialization yaml = new KubernetesSerialization();
        yaml.registerKubernetesResource(RecommenderModel.class);
        int failures = 0;
        int rendered = 0;
        for (Path file : files) {
            List<RecommenderModel> models;
            try {
                models = read(yaml, file);
            } catch (IOException | RuntimeException e) {
                err.println("render: cannot read " + file + ": " + e.getMessage());
                failures++;
                continue;
            }
            for (RecommenderModel model : models) {
                prepare(model, namespace);
                String id = model.getMetadata().getNamespace() + "/" + model.getMetadata().getName();
                try {
                    List<ServedVersion> versions = ServedVersions.resolve(model, resolver, (ns, name) -> Optional.empty());
                    // As it will be once every version's pods are ready (a candidate gets users only then).
                    DesiredState state = DesiredState.of(model, versions, v -> true, defaults, ClusterFeatures.NONE);
                    RecommenderModelStatus status = StatusBuilder.resolved(model, versions.get(0).pkg().resolved(),
                            StatusBuilder.Observed.ABSENT, RouterService.endpoint(model, defaults),
                            new StatusBuilder.Serving(null, SplitConfigMap.describe(state.split())), Instant.now());
                    out.println("# RecommenderModel " + id + " (" + file + ")");
                    out.println("# " + status.condition("ModelResolved").orElseThrow().message());
                    out.println("# split once its pods are ready: " + status.split());
                    out.println("# endpoint: " + status.endpoint().http() + " (REST), " + status.endpoint().grpc()
                            + " (gRPC)");
                    for (HasMetadata object : objects(state)) {
                        out.println("---");
                        out.print(yaml.asYaml(object).replaceFirst("^---\\n", ""));
                    }
                    rendered++;
                } catch (ModelResolutionException e) {
                    err.println("render: " + id + ": ModelResolved=False, reason " + e.reason() + ": " + e.getMessage());
                    failures++;
                }
            }
        }
        err.println("render: " + rendered + " model(s) rendered, " + failures + " failed");
        return failures == 0 && rendered > 0 ? 0 : 1;
    }

    /** Every RecommenderModel in a (multi-document) YAML file, parsed by Fabric8's serializer. */
    private static List<RecommenderModel> read(KubernetesSerialization yaml, Path file) throws IOException {
        Object parsed;
        try (InputStream in = Files.newInputStream(file)) {
            parsed = yaml.unmarshal(in);
        }
        List<?> documents = parsed instanceof List<?> list ? list : parsed == null ? List.of() : List.of(parsed);
        return documents.stream().filter(RecommenderModel.class::isInstance).map(RecommenderModel.class::cast)
                .toList();
    }

    /** What the API server would add: a namespace, a uid for owner references, generation 1. */
    private static void prepare(RecommenderModel model, String namespace) {
        if (model.getMetadata().getNamespace() == null) {
            model.getMetadata().setNamespace(namespace);
        }
        model.getMetadata().setUid("00000000-0000-0000-0000-000000000000");
        model.getMetadata().setGeneration(1L);
    }

    private static List<HasMetadata> objects(DesiredState state) {
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(state.splitConfigMap());
        objects.addAll(state.deployments());
        objects.addAll(state.services());
        objects.addAll(state.disruptionBudgets());
        objects.addAll(state.autoscalers());
        objects.addAll(state.scaledObjects());
        state.serviceMonitor().ifPresent(objects::add);
        return objects;
    }
}
