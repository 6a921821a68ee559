package dev.sequor.feedback;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The embedded durable feedback log: append-only segments in one directory, a CRC32C per record,
 * and group commit — one writer thread writes whatever is queued, forces it to disk, and only
 * then completes each append, so an acknowledged record survives a crash of the process or the
 * machine. Segments roll by size and by age. On open, a torn or corrupt tail of the newest segment
 * (a crash mid-write) is found and truncated; the records before it are kept.
 *
 * <p>A full queue refuses at once ({@link SinkOverloadedException}) rather than blocking: the
 * caller answers 503 and the client retries; nothing is half-stored.
 */
public final class FeedbackLog implements FeedbackSink {

    private static final Logger LOG = Logger.getLogger(FeedbackLog.class.getName());

    /**
     * @param maxSegmentBytes a segment at least this large is closed and a new one started
     * @param maxSegmentAge a segment open this long is closed at its next write
     * @param queueCapacity appends waiting for the writer before new ones are refused
     * @param maxBatch records written per forced write at most
     */
    public record Settings(long maxSegmentBytes, Duration maxSegmentAge, int queueCapacity, int maxBatch) {
        public static final Settings DEFAULT = new Settings(64L << 20, Duration.ofHours(1), 10_000, 2_000);

        public Settings withMaxSegmentBytes(long bytes) {
            return new Settings(bytes, maxSegmentAge, queueCapacity, maxBatch);
        }
    }

    /** What opening found: segments, records, and the bytes of a torn tail that were cut off. */
    public record Recovery(int segments, long records, long truncatedBytes, String truncatedBecause) {
    }

    private record Pending(ByteBuffer frame, CompletableFuture<Long> done) {
    }

    private final Path dir;
    private final Settings settings;
    private final Clock clock;
    private final BlockingQueue<Pending> queue;
    private final Thread writer;
    private final Recovery recovery;
    private volatile boolean closed;
    private volatile long committed;
    private FileChannel segment;
    private long segmentBytes;
    private Instant segmentOpened;
    private long next;

    private FeedbackLog(Path dir, Settings settings, Clock clock) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.settings = settings;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.recovery = recover();
        this.committed = next;
        this.writer = new Thread(this::writeLoop, "sequor-feedback-log");
        writer.setDaemon(true);
        writer.start();
    }

    public static FeedbackLog open(Path dir, Settings settings, Clock clock) {
        try {
            return new FeedbackLog(dir, settings, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the feedback log in " + dir, e);
        }
    }

    public Recovery recovery() {
        return recovery;
    }

    /** The offset the next record will get; every offset below it is on disk. */
    public long committedOffset() {
        return committed;
    }

    /** Queues a record; the future completes with its offset once it is on disk. */
    public CompletableFuture<Long> append(byte[] payload) {
        if (payload.length > Segment.MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("a record is at most " + Segment.MAX_RECORD_BYTES + " bytes");
        }
        if (closed) {
            throw new SinkUnavailableException("the feedback log is closed", null);
        }
        Pending p = new Pending(Segment.frame(payload), new CompletableFuture<>());
        if (!queue.offer(p)) {
            throw new SinkOverloadedException("the feedback log has " + settings.queueCapacity()
                    + " records waiting for the disk; try again shortly");
        }
        return p.done();
    }

    @Override
    public CompletableFuture<Void> store(FeedbackEvent event) {
        return append(event.toBytes()).thenApply(offset -> null);
    }

    @Override
    public String describe() {
        return "the feedback log in " + dir;
    }

    /** Up to {@code max} records from {@code from} on, as far as they are on disk. */
    public List<LogRecord> read(long from, int max) {
        List<LogRecord> out = new ArrayList<>();
        long upTo = committed;
        try {
            List<Path> segments = segments();
            for (int i = 0; i < segments.size() && out.size() < max; i++) {
                long base = Segment.baseOffset(segments.get(i));
                long end = i + 1 < segments.size() ? Segment.baseOffset(segments.get(i + 1)) : upTo;
                if (end <= from || base >= upTo) {
                    continue;
                }
                try (FileChannel ch = FileChannel.open(segments.get(i), StandardOpenOption.READ)) {
                    Segment.Scan scan = Segment.scan(ch, base, Long.MAX_VALUE, r -> {
                        if (r.offset() >= from && r.offset() < upTo && out.size() < max) {
                            out.add(r);
                        }
                    });
                    if (base + scan.records() < Math.min(end, upTo)) {
                        throw new CorruptLogException("segment " + segments.get(i) + " holds " + scan.records()
                                + " readable records of " + (Math.min(end, upTo) - base) + ": " + scan.stoppedBecause());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Every whole record of the log in {@code dir}, read without opening it for writing (another
     * process may hold it): a training Job's snapshot, or a check. A torn tail is not read.
     */
    public static List<LogRecord> readOnly(Path dir) {
        List<LogRecord> out = new ArrayList<>();
        try {
            for (Path file : segments(dir)) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                    Segment.scan(ch, Segment.baseOffset(file), Long.MAX_VALUE, out::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * The logs under {@code dir}: {@code dir} itself when it holds segments, and each folder directly
     * under it that does (one per writer, e.g. per router pod on a shared volume), in name order.
     */
    public static List<Path> logsUnder(Path dir) {
        List<Path> logs = new ArrayList<>();
        try {
            if (!segments(dir).isEmpty()) {
                logs.add(dir);
            }
            if (Files.isDirectory(dir)) {
                try (Stream<Path> children = Files.list(dir)) {
                    for (Path child : children.filter(Files::isDirectory).sorted().toList()) {
                        if (!segments(child).isEmpty()) {
                            logs.add(child);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return logs;
    }

    private List<Path> segments() throws IOException {
        return segments(dir);
    }

    private static List<Path> segments(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Segment::isSegment).sorted().toList();
        }
    }

    /** Finds where the log ends, cutting a torn tail off the newest segment, and opens it for appends. */
    private Recovery recover() throws IOException {
        List<Path> segments = segments();
        if (segments.isEmpty()) {
            next = 0;
            openSegment();
            return new Recovery(0, 0, 0, null);
        }
        Path last = segments.get(segments.size() - 1);
        long base = Segment.baseOffset(last);
        segment = FileChannel.open(last, StandardOpenOption.READ, StandardOpenOption.WRITE);
        Segment.Scan scan = Segment.scan(segment, base, Long.MAX_VALUE, null);
        long cut = scan.fileBytes() - scan.validBytes();
        if (cut > 0) {
            LOG.log(Level.WARNING, "Feedback log {0}: cut {1} bytes after record {2} ({3}): a write torn by a crash",
                    new Object[] {last, cut, base + scan.records(), scan.stoppedBecause()});
            segment.truncate(scan.validBytes());
            segment.force(true);
        }
        segment.position(scan.validBytes());
        segmentBytes = scan.validBytes();
        segmentOpened = clock.instant();
        next = base + scan.records();
        return new Recovery(segments.size(), next, cut, scan.stoppedBecause());
    }

    private void openSegment() throws IOException {
        Path file = dir.resolve(Segment.fileName(next));
        segment = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        segmentBytes = 0;
        segmentOpened = clock.instant();
        // The new file's directory entry must be durable too, or a crash could lose the whole segment.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    private void roll() throws IOException {
        if (segmentBytes >= settings.maxSegmentBytes()
                || (segmentBytes > 0 && !clock.instant().isBefore(segmentOpened.plus(settings.maxSegmentAge())))) {
            segment.force(true);
            segment.close();
            openSegment();
        }
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        while (!(closed && queue.isEmpty())) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, settings.maxBatch() - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        long start = segmentBytes;
        try {
            roll();
            start = segmentBytes;
            ByteBuffer[] frames = batch.stream().map(Pending::frame).toArray(ByteBuffer[]::new);
            long bytes = 0;
            for (ByteBuffer f : frames) {
                bytes += f.remaining();
            }
            long written = 0;
            while (written < bytes) {
                written += segment.write(frames);
            }
            segment.force(false);
            segmentBytes += bytes;
            long offset = next;
            next += batch.size();
            committed = next;
            for (Pending p : batch) {
                p.done().complete(offset++);
            }
        } catch (IOException | RuntimeException e) {
            SinkUnavailableException failure = new SinkUnavailableException("the feedback log could not write to "
                    + dir + ": " + e.getMessage(), e);
            try {
                // What was written of this batch was not acknowledged: cut it so offsets stay dense.
                segment.truncate(start);
                segment.position(start);
            } catch (IOException cut) {
                e.addSuppressed(cut);
            }
            batch.forEach(p -> p.done().completeExceptionally(failure));
        }
    }

    /** Stops taking appends, writes and forces what was queued, and closes the segment. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
            // An append that raced with close and found no writer: refused, never left waiting.
            List<Pending> late = new ArrayList<>();
            queue.drainTo(late);
            late.forEach(p -> p.done().completeExceptionally(new SinkUnavailableException("the feedback log closed", null)));
            segment.force(true);
            segment.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
