package dev.sequor.operator.cli;

import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.api.v1alpha1.RecommenderModelStatus;
import dev.sequor.operator.model.DesiredState;
import dev.sequor.operator.model.ModelPackage;
import dev.sequor.operator.model.OperatorDefaults;
import dev.sequor.operator.model.PredictorService;
import dev.sequor.operator.registry.ModelResolutionException;
import dev.sequor.operator.registry.ModelResolver;
import dev.sequor.operator.status.DeploymentObservation;
import dev.sequor.operator.status.StatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Shows what the operator would do with RecommenderModel files, with no cluster: resolves each
 * model (local directory registry or MLflow) and prints the objects it would apply and the status
 * it would report. Like {@code helm template} for Sequor.
 */
public final class Render {

    private static final String USAGE = """
            Usage: render [--registry DIR] [--mlflow URL] [--namespace NS] [--image IMAGE] FILE...
              FILE          YAML files holding RecommenderModel resources (other kinds are skipped)
              --registry    local directory registry (<DIR>/<model>/versions/<n>, <DIR>/<model>/aliases/<alias>)
              --mlflow      MLflow tracking server for spec.model.registry references
              --namespace   namespace for resources that name none (default: default)
              --image       inference runtime image (default: the operator's)""";

    private final PrintStream out;
    private final PrintStream err;

    Render(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new Render(System.out, System.err).run(args));
    }

    int run(String[] args) {
        Optional<Path> registry = Optional.empty();
        Optional<String> mlflow = Optional.empty();
        String namespace = "default";
        String image = "ghcr.io/sequor-dev/inference-runtime:0.1.0";
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            boolean hasValue = i + 1 < args.length;
            switch (a) {
                case "--registry" -> registry = hasValue ? Optional.of(Path.of(args[++i])) : Optional.empty();
                case "--mlflow" -> mlflow = hasValue ? Optional.of(args[++i]) : Optional.empty();
                case "--namespace" -> namespace = hasValue ? args[++i] : namespace;
                case "--image" -> image = hasValue ? args[++i] : image;
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> {
                    if (a.startsWith("--")) {
                        err.println("render: unknown option " + a + "\n" + USAGE);
                        return 2;
                    }
                    files.add(Path.of(a));
                }
            }
            if (a.startsWith("--") && !hasValue) {
                err.println("render: " + a + " needs a value\n" + USAGE);
                return 2;
            }
        }
        if (files.isEmpty()) {
            err.println("render: no files given\n" + USAGE);
            return 2;
        }
        ExecutorService executor = Executors.newCachedThreadPool();
        try {
            return render(files, new ModelResolver(mlflow, registry, Duration.ofSeconds(20), executor),
                    OperatorDefaults.standard(image), namespace);
        } finally {
            executor.shutdownNow();
        }
    }

    private int render(List<Path> files, ModelResolver resolver, OperatorDefaults defaults, String namespace) {
        KubernetesSerialization yaml = new KubernetesSerialization();
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
                    ModelPackage pkg = resolver.resolve(model, (ns, name) -> Optional.empty());
                    DesiredState state = DesiredState.of(model, pkg, defaults, false);
                    RecommenderModelStatus status = StatusBuilder.resolved(model, pkg.resolved(),
                            DeploymentObservation.ABSENT, PredictorService.endpoint(model, defaults), Instant.now());
                    out.println("# RecommenderModel " + id + " (" + file + ")");
                    out.println("# " + status.condition("ModelResolved").orElseThrow().message());
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

    private static List<RecommenderModel> read(KubernetesSerialization yaml, Path file) throws IOException {
        List<RecommenderModel> models = new ArrayList<>();
        for (String doc : Files.readString(file).split("(?m)^---\\s*$")) {
            if (doc.isBlank() || !doc.contains("kind: RecommenderModel")) {
                continue;
            }
            models.add(yaml.unmarshal(doc, RecommenderModel.class));
        }
        return models;
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
        List<HasMetadata> objects = new ArrayList<>(List.of(state.deployment(), state.service(),
                state.disruptionBudget()));
        state.autoscaler().ifPresent(objects::add);
        state.serviceMonitor().ifPresent(objects::add);
        return objects;
    }
}
