package dev.sequor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequor.contract.RuntimeContract;
import dev.sequor.feedback.FeedbackLog;
import dev.sequor.operator.testing.LocalJobRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The closed loop with the embedded feedback log on a claim: each router pod's log in its own folder. */
class RetrainingWithFeedbackLogIT extends RetrainingLoopScenario {

    @Override
    String feedbackSpec() {
        return "{log: {claimName: feedback}}";
    }

    @Override
    Map<String, String> startSink(Path feedbackDir, List<AutoCloseable> running) {
        return Map.of(RuntimeContract.FEEDBACK_LOG_DIR, feedbackDir.resolve("games-router-0").toString());
    }

    @Override
    void assertReadTheFeedback(LocalJobRunner.Run run, Path feedbackDir) {
        assertThat(run.command()).containsSubsequence("--feedback-log", feedbackDir.toString());
        assertThat(FeedbackLog.logsUnder(feedbackDir)).hasSize(1);
    }
}
