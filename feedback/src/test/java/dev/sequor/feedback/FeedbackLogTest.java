package dev.sequor.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedbackLogTest {

    private static final FeedbackLog.Settings SMALL = new FeedbackLog.Settings(1_000, Duration.ofHours(1), 1_000, 100);

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(List<LogRecord> records) {
        return records.stream().map(r -> new String(r.payload(), StandardCharsets.UTF_8)).toList();
    }

    private static void appendAll(FeedbackLog log, int from, int to) {
        List<CompletableFuture<Long>> acks = new ArrayList<>();
        for (int i = from; i < to; i++) {
            acks.add(log.append(bytes("event-" + i)));
        }
        for (int i = 0; i < acks.size(); i++) {
            assertThat(acks.get(i).join()).as("offsets are dense and in order").isEqualTo(from + i);
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Segment::isSegment).sorted().toList();
        }
    }

    @Test
    void whatIsAcknowledgedReadsBackInOrderAcrossSegments() throws IOException {
        try (FeedbackLog log = FeedbackLog.open(dir, SMALL, Clock.systemUTC())) {
            for (int i = 0; i < 300; i += 10) {
                appendAll(log, i, i + 10); // batches of 10: segments roll at batch boundaries
            }
            assertThat(log.committedOffset()).isEqualTo(300);
            List<LogRecord> all = log.read(0, 1_000);
            assertThat(all).extracting(LogRecord::offset).containsExactlyElementsOf(
                    java.util.stream.LongStream.range(0, 300).boxed().toList());
            assertThat(texts(all).get(299)).isEqualTo("event-299");
            assertThat(texts(log.read(250, 10))).containsExactly("event-250", "event-251", "event-252", "event-253",
                    "event-254", "event-255", "event-256", "event-257", "event-258", "event-259");
        }
        assertThat(segments()).as("rolled by size (1,000 bytes; about 160 bytes per batch)").hasSizeGreaterThan(3);
        assertThat(Segment.baseOffset(segments().get(0))).isZero();
    }

    @Test
    void reopeningCarriesOnWhereItEnded() {
        try (FeedbackLog log = FeedbackLog.open(dir, SMALL, Clock.systemUTC())) {
            appendAll(log, 0, 50);
        }
        try (FeedbackLog log = FeedbackLog.open(dir, SMALL, Clock.systemUTC())) {
            assertThat(log.recovery().records()).isEqualTo(50);
            assertThat(log.recovery().truncatedBytes()).isZero();
            appendAll(log, 50, 60);
            assertThat(texts(log.read(0, 100))).hasSize(60).endsWith("event-59");
        }
    }

    @Test
    void segmentsRollByAge() throws IOException {
        MutableClock clock = new MutableClock();
        FeedbackLog.Settings byAge = new FeedbackLog.Settings(1L << 30, Duration.ofMinutes(10), 100, 10);
        try (FeedbackLog log = FeedbackLog.open(dir, byAge, clock)) {
            appendAll(log, 0, 5);
            clock.now = clock.now.plus(Duration.ofMinutes(11));
            appendAll(log, 5, 10);
        }
        assertThat(segments()).extracting(p -> p.getFileName().toString())
                .containsExactly(Segment.fileName(0), Segment.fileName(5));
    }

    @Test
    void aTornTailIsCutOffAndTheRecordsBeforeItKept() throws IOException {
        try (FeedbackLog log = FeedbackLog.open(dir, SMALL.withMaxSegmentBytes(1L << 20), Clock.systemUTC())) {
            appendAll(log, 0, 20);
        }
        Path segment = segments().get(0);
        long whole = Files.size(segment);
        // A crash mid-write: the next record's header and half its payload reached the disk.
        byte[] next = Segment.frame(bytes("event-20-never-acknowledged")).array();
        Files.write(segment, java.util.Arrays.copyOf(next, 15), StandardOpenOption.APPEND);
        try (FeedbackLog log = FeedbackLog.open(dir, SMALL, Clock.systemUTC())) {
            assertThat(log.recovery().records()).isEqualTo(20);
            assertThat(log.recovery().truncatedBytes()).isEqualTo(15);
            assertThat(log.recovery().truncatedBecause()).isEqualTo("a partial record");
            assertThat(Files.size(segment)).isEqualTo(whole);
            appendAll(log, 20, 21);
            assertThat(texts(log.read(0, 100))).hasSize(21).endsWith("event-20");
        }
    }

    @Test
    void aTailWithABadChecksumIsCutOffToo() throws IOException {
        try (FeedbackLog log = FeedbackLog.open(dir, SMALL.withMaxSegmentBytes(1L << 20), Clock.systemUTC())) {
            appendAll(log, 0, 10);
        }
        Path segment = segments().get(0);
        long size = Files.size(segment);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {'X'}), size - 1); // the last record's last byte
        }
        try (FeedbackLog log = FeedbackLog.open(dir, SMALL, Clock.systemUTC())) {
            assertThat(log.recovery().records()).isEqualTo(9);
            assertThat(log.recovery().truncatedBecause()).isEqualTo("a checksum mismatch");
        }
    }

    @Test
    void aCorruptRecordInAClosedSegmentIsReportedNotSkipped() throws IOException {
        try (FeedbackLog log = FeedbackLog.open(dir, SMALL, Clock.systemUTC())) {
            appendAll(log, 0, 200);
        }
        Path first = segments().get(0);
        try (FileChannel ch = FileChannel.open(first, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {'X'}), 12);
        }
        try (FeedbackLog log = FeedbackLog.open(dir, SMALL, Clock.systemUTC())) {
            assertThatThrownBy(() -> log.read(0, 1_000)).isInstanceOf(CorruptLogException.class)
                    .hasMessageContaining("checksum mismatch");
        }
    }

    @Test
    void aFullQueueRefusesAtOnceAndEverythingAcceptedIsStored() {
        FeedbackLog.Settings tiny = new FeedbackLog.Settings(1L << 20, Duration.ofHours(1), 1, 1);
        List<CompletableFuture<Long>> accepted = new ArrayList<>();
        int refused = 0;
        try (FeedbackLog log = FeedbackLog.open(dir, tiny, Clock.systemUTC())) {
            // Offers take microseconds, each forced write a good part of a millisecond: the queue of one fills.
            for (int i = 0; i < 10_000; i++) {
                try {
                    accepted.add(log.append(bytes("event-" + i)));
                } catch (SinkOverloadedException e) {
                    refused++;
                }
            }
            accepted.forEach(CompletableFuture::join);
            assertThat(refused).as("refused, not blocked").isPositive();
            assertThat(log.read(0, 20_000)).hasSize(accepted.size());
        }
        assertThat(FeedbackLog.readOnly(dir)).as("read by another reader").hasSize(accepted.size());
    }

    @Test
    void aClosedLogRefusesAndAnOversizedRecordIsRefused() {
        FeedbackLog log = FeedbackLog.open(dir, SMALL, Clock.systemUTC());
        assertThatThrownBy(() -> log.append(new byte[Segment.MAX_RECORD_BYTES + 1]))
                .isInstanceOf(IllegalArgumentException.class);
        log.close();
        assertThatThrownBy(() -> log.append(bytes("late"))).isInstanceOf(SinkUnavailableException.class);
    }

    @Test
    void theEventSchemaRoundTripsAndListsEveryProblem() {
        FeedbackEvent e = new FeedbackEvent(1, "e-1", "rec-9", "user-1", "item-3", "click", 1_795_000_000_000L,
                "movies", "7", "champion");
        assertThat(e.problems()).isEmpty();
        assertThat(FeedbackEvent.parse(e.toBytes())).isEqualTo(e);
        assertThat(new String(e.toBytes(), StandardCharsets.UTF_8)).contains("\"schemaVersion\":1");
        FeedbackEvent bad = new FeedbackEvent(2, "", null, null, "i", "purchase", 0, "m", null, null);
        assertThat(bad.problems()).hasSize(5).anySatisfy(p -> assertThat(p).contains("schemaVersion 2"))
                .anySatisfy(p -> assertThat(p).contains("event must be one of"));
        assertThat(FeedbackEvent.parse(bytes("{\"schemaVersion\":1,\"eventId\":\"x\",\"future\":true}")).eventId())
                .isEqualTo("x");
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-23T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
