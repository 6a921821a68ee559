package dev.sequor.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A sequential recommender served on Kubernetes: which model, and how it is served. */
@Group(RecommenderModel.GROUP)
@Version(RecommenderModel.VERSION)
@Kind("RecommenderModel")
@Plural("recommendermodels")
@Singular("recommendermodel")
@ShortNames("recmodel")
@ValidationRule(value = "has(self.spec)", message = "spec is required: a RecommenderModel needs spec.model")
// The name becomes a Service name (a DNS-1035 label) and, with "-router" or "-v" and a version, Deployment names.
@ValidationRule(value = "self.metadata.name.size() <= 52 && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
        message = "metadata.name must be a DNS label of at most 52 characters starting with a letter "
                + "(it names the model's Service and Deployment)")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Version", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.model.version")
@AdditionalPrinterColumn(name = "Split", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.split")
@AdditionalPrinterColumn(name = "Candidate", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.candidate.model.version")
@AdditionalPrinterColumn(name = "Weight", type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.candidate.weight")
@AdditionalPrinterColumn(name = "Phase", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.candidate.phase")
@AdditionalPrinterColumn(name = "Replicas", type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.readyReplicas")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
public class RecommenderModel extends CustomResource<RecommenderModelSpec, RecommenderModelStatus>
        implements Namespaced {

    public static final String GROUP = "sequor.dev";
    public static final String VERSION = "v1alpha1";
    public static final String CRD_NAME = "recommendermodels." + GROUP;

    // Spec and status are immutable records: they cannot be instantiated empty.
    @Override
    protected RecommenderModelSpec initSpec() {
        return null;
    }

    @Override
    protected RecommenderModelStatus initStatus() {
        return null;
    }
}
