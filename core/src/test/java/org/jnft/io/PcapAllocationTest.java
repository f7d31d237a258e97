package org.jnft.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Steady-state reading (through buffer()/frameStart()) and writing allocate (next to) nothing. */
class PcapAllocationTest {
    @TempDir
    Path dir;

    @Test
    void readAndWriteWithoutAllocating() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        Path p = dir.resolve("a.pcap");
        int frames = 100_000;
        long writeBytes = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment f = arena.allocate(1514);
            for (int round = 0; round < 3; round++) {
                try (PcapWriter w = PcapWriter.create(p)) {
                    long before = mx.getThreadAllocatedBytes(tid);
                    for (int i = 0; i < frames; i++) {
                        f.set(ValueLayout.JAVA_INT_UNALIGNED, 0, i);
                        w.write(1_000_000_000L * i, f, 0, 60 + (i % 1400));
                    }
                    writeBytes = mx.getThreadAllocatedBytes(tid) - before;
                }
            }
        }
        long readBytes = 0;
        long sink = 0;
        for (int round = 0; round < 3; round++) {
            try (PcapReader r = PcapReader.open(p, "a.pcap")) {
                r.next();
                long before = mx.getThreadAllocatedBytes(tid);
                while (r.next()) {
                    sink += r.buffer().get(ValueLayout.JAVA_BYTE, r.frameStart()) + r.capturedLength()
                            + r.timestampNanos();
                }
                readBytes = mx.getThreadAllocatedBytes(tid) - before;
            }
        }
        // a few hundred bytes of slack for JIT/profiling noise; 100k frames allocating even 8 bytes each
        // would be 800 KB
        assertThat(writeBytes).as("bytes allocated writing %d frames", frames).isLessThan(16 * 1024);
        assertThat(readBytes).as("bytes allocated reading %d frames (sink %d)", frames, sink).isLessThan(16 * 1024);
    }
}
