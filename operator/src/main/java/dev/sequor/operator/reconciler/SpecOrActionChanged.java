package dev.sequor.operator.reconciler;

import dev.sequor.api.v1alpha1.RecommenderModel;
import dev.sequor.operator.rollout.RolloutController;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Map;
import java.util.Objects;

/**
 * Which updates of a RecommenderModel are worth a reconciliation: a new generation (spec), or a
 * new rollout action annotation. The operator's own status writes are not.
 */
public class SpecOrActionChanged implements OnUpdateFilter<RecommenderModel> {

    @Override
    public boolean accept(RecommenderModel updated, RecommenderModel old) {
        return !Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
                || !Objects.equals(action(updated), action(old));
    }

    private static String action(RecommenderModel model) {
        Map<String, String> annotations = model.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(RolloutController.ACTION_ANNOTATION);
    }
}
