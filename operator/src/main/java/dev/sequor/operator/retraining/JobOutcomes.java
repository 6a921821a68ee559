package dev.sequor.operator.retraining;

import dev.sequor.api.v1alpha1.TrainingRunStatus;
import dev.sequor.contract.TrainingContract;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a finished Job says about its run, from the conditions the Job controller sets. */
final class JobOutcomes {

    /** The Job controller's message when a pod failure policy rule fails the Job. */
    private static final Pattern EXIT_CODE = Pattern.compile("exit code (\\d+)");

    /** A finished run: outcome and message; the version is the caller's to find. */
    record Finished(String outcome, String message, String completionTime) {
    }

    private JobOutcomes() {
    }

    static boolean finished(Job job) {
        return condition(job, "Complete").isPresent() || condition(job, "Failed").isPresent();
    }

    static Optional<Finished> of(Job job) {
        Optional<JobCondition> complete = condition(job, "Complete");
        if (complete.isPresent()) {
            return Optional.of(new Finished(TrainingRunStatus.SUCCEEDED, null, time(job, complete.get())));
        }
        Optional<JobCondition> failed = condition(job, "Failed");
        if (failed.isEmpty()) {
            return Optional.empty();
        }
        String message = failed.get().getMessage() != null ? failed.get().getMessage() : "";
        Matcher code = EXIT_CODE.matcher(message);
        int exit = "PodFailurePolicy".equals(failed.get().getReason()) && code.find() ? Integer.parseInt(code.group(1)) : -1;
        if (exit == TrainingContract.EXIT_OVER_BUDGET) {
            return Optional.of(new Finished(TrainingRunStatus.FAILED, "The run would have taken the model's data over "
                    + "its privacy budget (the trainer's exact check, with the data as it is now); it did not train. "
                    + "Raise spec.retraining.privacy.budget.epsilon to go on.", time(job, failed.get())));
        }
        if (exit == TrainingContract.EXIT_WORSE_THAN_CHAMPION) {
            return Optional.of(new Finished(TrainingRunStatus.REJECTED, "The new model was worse than the champion "
                    + "offline, on the same held-out data, by more than maxRegression; nothing was registered as "
                    + "candidate (the Job's log and the registry run have the numbers).", time(job, failed.get())));
        }
        return Optional.of(new Finished(TrainingRunStatus.FAILED, "Job " + job.getMetadata().getName() + " failed ("
                + failed.get().getReason() + "): " + message, time(job, failed.get())));
    }

    private static String time(Job job, JobCondition c) {
        return job.getStatus().getCompletionTime() != null ? job.getStatus().getCompletionTime()
                : c.getLastTransitionTime();
    }

    private static Optional<JobCondition> condition(Job job, String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
    }
}
