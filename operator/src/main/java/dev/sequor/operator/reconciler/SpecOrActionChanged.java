package dev.sequor.operator.reconciler;

import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.operator.retraining.RetrainingController;
import dev.sequor.operator.rollout.RolloutController;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Map;
import java.util.Objects;

/**
 * Which updates of a RecommenderModel are worth a reconciliation: a new generation (spec), or a
 * new rollout action or retrain request (annotations). The operator's own status writes are not.
 */
public class SpecOrActionChanged implements OnUpdateFilter<RecommenderModel> {

    @Override
    public boolean accept(RecommenderModel updated, RecommenderModel old) {
        return !Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
                || !Objects.equals(annotation(updated, RolloutController.ACTION_ANNOTATION),
                        annotation(old, RolloutController.ACTION_ANNOTATION))
                || !Objects.equals(annotation(updated, RetrainingController.RETRAIN_ANNOTATION),
                        annotation(old, RetrainingController.RETRAIN_ANNOTATION));
    }

    private static String annotation(RecommenderModel model, String key) {
        Map<String, String> annotations = model.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }
}
