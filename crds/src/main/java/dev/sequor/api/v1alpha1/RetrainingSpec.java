package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Closed-loop retraining: what starts a training Job, what it trains on, and how it runs. The Job
 * registers a new version as the rollout's candidate; spec.rollout decides whether it becomes the champion.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.privacy) || !has(self.privacy.differentialPrivacy) || !has(self.job.hyperParameters) "
        + "|| !('loss' in self.job.hyperParameters) || self.job.hyperParameters['loss'] in ['auto', 'bce', 'sampled-softmax']",
        message = "spec.retraining.privacy.differentialPrivacy trains with the auto (sampled-softmax), bce or "
                + "sampled-softmax loss, not the full softmax (ce)")
@ValidationRule(value = "!has(self.privacy) || !has(self.privacy.differentialPrivacy) || !has(self.job.hyperParameters) "
        + "|| !self.job.hyperParameters.exists(k, k in ['time-span', 'events', 'bert4rec'] "
        + "&& !(self.job.hyperParameters[k] in ['0', 'false']))",
        message = "spec.retraining.privacy.differentialPrivacy trains the left-to-right model on items only: no "
                + "time-span, events or bert4rec")
public record RetrainingSpec(
        @JsonPropertyDescription("What starts a run: any of metric, schedule and dataVolume. A run can always be "
                + "asked for by hand with the annotation sequor.dev/retrain.")
        TriggersSpec triggers,

        @JsonPropertyDescription("The least time from one run's start to the next, e.g. \"6h\" (default 1h). "
                + "A trigger due in the cooldown waits for its end (a schedule's time is skipped).")
        @Pattern(DURATION)
        String cooldown,

        @JsonPropertyDescription("Where the serving pods keep feedback for training.")
        FeedbackSinkSpec feedback,

        @Required
        @JsonPropertyDescription("The training Job.")
        TrainingJobSpec job,

        @JsonPropertyDescription("Differential privacy of the runs and the privacy budget of the model's data.")
        PrivacySpec privacy) {

    /** A Go-style duration as people write it: 90s, 15m, 1h30m. */
    public static final String DURATION = "^([0-9]+(s|m|h))+$";
}
