package dev.sequor.feedback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * One segment file of the log, {@code <base offset, 20 digits>.log}: records one after another,
 * each a 4-byte length, a 4-byte CRC32C of the payload, and the payload.
 */
final class Segment {

    static final int HEADER_BYTES = 8;
    /** A length above this cannot have been written: the header itself is torn or corrupt. */
    static final int MAX_RECORD_BYTES = 1 << 20;
    static final String SUFFIX = ".log";

    private Segment() {
    }

    static String fileName(long baseOffset) {
        return String.format("%020d%s", baseOffset, SUFFIX);
    }

    static long baseOffset(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
    }

    static boolean isSegment(Path file) {
        return file.getFileName().toString().matches("[0-9]{20}\\.log");
    }

    static ByteBuffer frame(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + payload.length);
        b.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
        return b;
    }

    /**
     * What a scan from the start found: {@code records} whole records ending at {@code validBytes};
     * anything after that, up to {@code fileBytes}, is a torn or corrupt tail.
     */
    record Scan(long records, long validBytes, long fileBytes, String stoppedBecause) {
        boolean clean() {
            return validBytes == fileBytes;
        }
    }

    /**
     * Reads records from the start, handing each whole, checksummed one with its offset to
     * {@code sink} (may be null), and stops at the first that is not.
     */
    static Scan scan(FileChannel channel, long baseOffset, long upTo, Consumer<LogRecord> sink) throws IOException {
        long size = Math.min(channel.size(), upTo);
        long position = 0;
        long records = 0;
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        while (true) {
            if (position == size) {
                return new Scan(records, position, size, null);
            }
            if (size - position < HEADER_BYTES) {
                return new Scan(records, position, size, "a partial record header");
            }
            header.clear();
            channel.read(header, position);
            header.flip();
            int length = header.getInt();
            int checksum = header.getInt();
            if (length < 0 || length > MAX_RECORD_BYTES) {
                return new Scan(records, position, size, "a record length of " + length);
            }
            if (size - position - HEADER_BYTES < length) {
                return new Scan(records, position, size, "a partial record");
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            channel.read(payload, position + HEADER_BYTES);
            CRC32C crc = new CRC32C();
            crc.update(payload.array());
            if ((int) crc.getValue() != checksum) {
                return new Scan(records, position, size, "a checksum mismatch");
            }
            if (sink != null) {
                sink.accept(new LogRecord(baseOffset + records, payload.array()));
            }
            records++;
            position += HEADER_BYTES + length;
        }
    }
}
