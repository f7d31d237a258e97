package org.jnft.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a classic pcap file as tcpdump does on x86: magic {@code 0xa1b2c3d4} (microsecond timestamps),
 * version 2.4, thiszone 0, sigfigs 0, snaplen 262144, {@code LINKTYPE_ETHERNET}, all in little-endian.
 * Frames longer than the snaplen are truncated (the record keeps the original length). Timestamps are
 * nanoseconds, rounded down to the microsecond. Output is buffered; {@link #close()} flushes.
 * Writing allocates nothing. Not thread-safe.
 */
public final class PcapWriter implements AutoCloseable {
    public static final int SNAPLEN = 262144;
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort LE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int BUFSIZE = 1 << 16;

    private final FileChannel ch;
    private final byte[] buf = new byte[BUFSIZE];
    private final MemorySegment seg = MemorySegment.ofArray(buf);
    private final ByteBuffer bb = ByteBuffer.wrap(buf);
    private int n;
    private long frames;
    private boolean closed;

    private PcapWriter(FileChannel ch) {
        this.ch = ch;
        seg.set(LE_INT, 0, 0xa1b2c3d4);
        seg.set(LE_SHORT, 4, (short) 2);
        seg.set(LE_SHORT, 6, (short) 4);
        seg.set(LE_INT, 8, 0);
        seg.set(LE_INT, 12, 0);
        seg.set(LE_INT, 16, SNAPLEN);
        seg.set(LE_INT, 20, PcapReader.LINKTYPE_ETHERNET);
        n = 24;
    }

    /** Creates (or truncates) FILE and writes the file header (on the first flush). */
    public static PcapWriter create(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        return new PcapWriter(ch);
    }

    /** Writes {@code length} bytes of FRAME starting at {@code offset}, stamped {@code timestampNanos}. */
    public void write(long timestampNanos, MemorySegment frame, long offset, int length) throws IOException {
        if (closed) {
            throw new IOException("pcap writer is closed");
        }
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        int incl = Math.min(length, SNAPLEN);
        long sec = Math.floorDiv(timestampNanos, 1_000_000_000L);
        long usec = Math.floorMod(timestampNanos, 1_000_000_000L) / 1000;
        if (n + 16 > BUFSIZE) {
            flush();
        }
        seg.set(LE_INT, n, (int) sec);
        seg.set(LE_INT, n + 4, (int) usec);
        seg.set(LE_INT, n + 8, incl);
        seg.set(LE_INT, n + 12, length);
        n += 16;
        long done = 0;
        while (done < incl) {
            if (n == BUFSIZE) {
                flush();
            }
            int chunk = (int) Math.min(incl - done, BUFSIZE - n);
            MemorySegment.copy(frame, offset + done, seg, n, chunk);
            n += chunk;
            done += chunk;
        }
        frames++;
    }

    /** Writes FRAME entirely, stamped {@code timestampNanos}. */
    public void write(long timestampNanos, byte[] frame) throws IOException {
        write(timestampNanos, MemorySegment.ofArray(frame), 0, frame.length);
    }

    /** Number of frames written so far. */
    public long frameCount() {
        return frames;
    }

    /** Writes the buffered bytes to the file. */
    public void flush() throws IOException {
        bb.limit(n).position(0);
        while (bb.hasRemaining()) {
            ch.write(bb);
        }
        n = 0;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closed = true;
            ch.close();
        }
    }
}
