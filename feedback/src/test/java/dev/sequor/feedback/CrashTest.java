package dev.sequor.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the process holding the log, under a steady load, three times: afterwards every
 * event it acknowledged is in the log (at least once), and the log carries on.
 */
class CrashTest {

    private static final int ACKS_BEFORE_KILL = 3_000;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedEventSurvivesAKill() throws Exception {
        Set<String> acknowledged = new HashSet<>();
        for (int round = 0; round < 3; round++) {
            Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), LogWriterProcess.class.getName(), dir.toString(), "8")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            int acks = 0;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while (acks < ACKS_BEFORE_KILL && (line = out.readLine()) != null) {
                    if (line.startsWith("ack ")) {
                        acknowledged.add(line.split(" ")[2]);
                        acks++;
                    }
                }
                writer.destroyForcibly(); // SIGKILL: no shutdown hook, no close, mid-write
                writer.waitFor();
            }
            assertThat(acks).as("round %d acknowledgements", round).isEqualTo(ACKS_BEFORE_KILL);
        }
        try (FeedbackLog log = FeedbackLog.open(dir, FeedbackLog.Settings.DEFAULT, Clock.systemUTC())) {
            Map<String, Integer> stored = new HashMap<>();
            List<LogRecord> records = log.read(0, Integer.MAX_VALUE);
            for (LogRecord r : records) {
                stored.merge(FeedbackEvent.parse(r.payload()).eventId(), 1, Integer::sum);
            }
            Set<String> lost = new HashSet<>(acknowledged);
            lost.removeAll(stored.keySet());
            assertThat(lost).as("acknowledged events missing after kill -9").isEmpty();
            assertThat(acknowledged).hasSize(3 * ACKS_BEFORE_KILL);
            assertThat(records).as("stored: the acknowledged and any written but not yet acknowledged")
                    .hasSizeGreaterThanOrEqualTo(acknowledged.size());
            System.out.printf("crash test: %d acknowledged, %d stored, %d bytes cut off a torn tail%n",
                    acknowledged.size(), records.size(), log.recovery().truncatedBytes());
        }
    }
}
