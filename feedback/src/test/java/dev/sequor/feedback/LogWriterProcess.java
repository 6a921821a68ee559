package dev.sequor.feedback;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The process the crash test kills: {@code threads} clients append feedback events as fast as
 * their acknowledgements come back, and print {@code ack <offset> <eventId>} for each one the log
 * acknowledged (after it is on disk), until killed.
 */
public final class LogWriterProcess {

    private LogWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        PrintStream out = new PrintStream(System.out, false);
        FeedbackLog log = FeedbackLog.open(dir, new FeedbackLog.Settings(256 << 10,
                java.time.Duration.ofHours(1), 10_000, 1_000), Clock.systemUTC());
        out.println("recovered " + log.recovery().records());
        out.flush();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            pool.submit(() -> {
                for (long i = 0; ; i++) {
                    String id = "t" + thread + "-" + i + "-" + ProcessHandle.current().pid();
                    FeedbackEvent e = new FeedbackEvent(FeedbackEvent.SCHEMA_VERSION, id, null, "user-" + (i % 100),
                            "item-" + (i % 37), "click", System.currentTimeMillis(), "synthetic", "1", "champion");
                    long offset = log.append(e.toBytes()).join();
                    synchronized (out) {
                        out.println("ack " + offset + " " + id);
                        out.flush();
                    }
                }
            });
        }
        pool.awaitTermination(1, TimeUnit.DAYS);
    }
}
