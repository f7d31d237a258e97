package org.jnft.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Random damage to valid files: the reader either reads frames or throws PcapFormatException, quickly. */
class PcapFuzzTest {
    static final int CASES = 5000;

    @TempDir
    Path dir;

    @Test
    void damagedFilesOnlyEverGivePcapFormatException() throws Exception {
        List<String> names = List.of("classic-us-le.pcap", "classic-ns-be.pcap", "pcapng-ns.pcapng",
                "pcapng-us.pcapng", "multi-section.pcapng");
        byte[][] seeds = new byte[names.size()][];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = PcapReaderTest.resource(names.get(i));
        }
        long seed = 0xF0220L;
        Random rnd = new Random(seed);
        Path p = dir.resolve("fuzz.bin");
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (int c = 0; c < CASES; c++) {
                byte[] b = mutate(seeds[rnd.nextInt(seeds.length)], rnd);
                Files.write(p, b);
                // half the cases with a tiny initial buffer: every record then crosses its end
                int bufferSize = rnd.nextBoolean() ? 16 + rnd.nextInt(100) : 1 << 16;
                try (PcapReader r = PcapReader.open(p, "fuzz", bufferSize)) {
                    int n = 0;
                    while (r.next()) {
                        assertThat(r.capturedLength()).isBetween(0, PcapReader.MAX_CAPLEN);
                        assertThat(r.frame().byteSize()).isEqualTo(r.capturedLength());
                        assertThat(r.frameOffset()).isBetween(0L, (long) b.length);
                        n++;
                        assertThat(n).as("seed %x case %d: frames bounded by file size", seed, c)
                                .isLessThan(b.length);
                    }
                    outcomes[0]++;
                } catch (PcapFormatException e) {
                    assertThat(e.getMessage()).startsWith("fuzz: offset ");
                    assertThat(e.offset()).as("seed %x case %d", seed, c).isBetween(0L, (long) b.length);
                    outcomes[1]++;
                } catch (IOException | RuntimeException | AssertionError e) {
                    throw new AssertionError("seed " + Long.toHexString(seed) + " case " + c + ": " + e, e);
                }
            }
        });
        assertThat(outcomes[0] + outcomes[1]).isEqualTo(CASES);
        assertThat(outcomes[0]).isPositive();
        assertThat(outcomes[1]).isPositive();
    }

    /**
     * A pcapng larger than the reader's 64 KiB buffer, of small blocks, so that damaged blocks also land at
     * the very end of the buffer.
     */
    @Test
    void damagedBlocksAtBufferBoundaries() throws Exception {
        Random rnd = new Random(0xB0FFL);
        PcapngBuilder ng = new PcapngBuilder(java.nio.ByteOrder.BIG_ENDIAN).idb(0);
        for (int i = 0; i < 6000; i++) {
            byte[] f = new byte[rnd.nextInt(40)];
            rnd.nextBytes(f);
            ng.epb(0, 1_700_000_000_000_000L + i, f);
        }
        byte[] base = ng.bytes();
        assertThat(base.length).isGreaterThan(3 * 65536);
        Path p = dir.resolve("big.pcapng");
        Files.write(p, base);
        try (PcapReader r = PcapReader.open(p, "big")) {
            int n = 0;
            while (r.next()) {
                assertThat(r.timestampNanos()).isEqualTo(1_700_000_000_000_000_000L + 1000L * n);
                n++;
            }
            assertThat(n).isEqualTo(6000);
        }
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (int c = 0; c < 300; c++) {
                byte[] b = base.clone();
                // damage a dozen 32-bit words, everywhere
                for (int k = 0; k < 12; k++) {
                    int at = rnd.nextInt(b.length / 4) * 4;
                    int v = rnd.nextBoolean() ? rnd.nextInt(64) : rnd.nextInt();
                    for (int i = 0; i < 4; i++) {
                        b[at + i] = (byte) (v >>> (24 - 8 * i));
                    }
                }
                Files.write(p, b);
                try (PcapReader r = PcapReader.open(p, "big")) {
                    while (r.next()) {
                        assertThat(r.frame().byteSize()).isEqualTo(r.capturedLength());
                    }
                } catch (PcapFormatException e) {
                    assertThat(e.offset()).isBetween(0L, (long) b.length);
                } catch (IOException | RuntimeException e) {
                    throw new AssertionError("case " + c + ": " + e, e);
                }
            }
        });
    }

    static byte[] mutate(byte[] in, Random rnd) {
        byte[] b = in.clone();
        switch (rnd.nextInt(5)) {
            case 0 -> { // a few byte flips
                int k = 1 + rnd.nextInt(8);
                for (int i = 0; i < k; i++) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255));
                }
            }
            case 1 -> b = Arrays.copyOf(b, rnd.nextInt(b.length + 1)); // truncation
            case 2 -> { // a random 32-bit value at an aligned place (lengths, ids, link types)
                int at = rnd.nextInt(b.length / 4) * 4;
                int v = rnd.nextBoolean() ? rnd.nextInt() : rnd.nextInt(512);
                for (int i = 0; i < 4 && at + i < b.length; i++) {
                    b[at + i] = (byte) (v >>> (8 * i));
                }
            }
            case 3 -> { // flips and truncation
                b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                b = Arrays.copyOf(b, rnd.nextInt(b.length + 1));
            }
            default -> { // garbage appended
                int extra = 1 + rnd.nextInt(64);
                b = Arrays.copyOf(b, b.length + extra);
                for (int i = b.length - extra; i < b.length; i++) {
                    b[i] = (byte) rnd.nextInt();
                }
            }
        }
        return b;
    }
}
