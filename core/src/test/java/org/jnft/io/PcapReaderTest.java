package org.jnft.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PcapReaderTest {
    @TempDir
    Path dir;

    record Frame(long ts, int caplen, int origlen, long offset, byte[] data) {
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = PcapReaderTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    Path file(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    static List<Frame> readAll(Path p) throws IOException {
        List<Frame> small = readAll(p, 16);
        List<Frame> big = readAll(p, 1 << 16);
        assertThat(small).hasSize(big.size());
        for (int i = 0; i < big.size(); i++) {
            assertThat(small.get(i).data()).isEqualTo(big.get(i).data());
            assertThat(small.get(i).ts()).isEqualTo(big.get(i).ts());
            assertThat(small.get(i).offset()).isEqualTo(big.get(i).offset());
        }
        return big;
    }

    /** Reads every frame with an initial buffer of BUFFERSIZE bytes. */
    static List<Frame> readAll(Path p, int bufferSize) throws IOException {
        List<Frame> out = new ArrayList<>();
        try (PcapReader r = PcapReader.open(p, p.getFileName().toString(), bufferSize)) {
            while (r.next()) {
                MemorySegment f = r.frame();
                assertThat(f.byteSize()).isEqualTo(r.capturedLength());
                byte[] copy = r.frameBytes();
                assertThat(f.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(copy);
                assertThat(r.buffer().asSlice(r.frameStart(), r.capturedLength()).toArray(ValueLayout.JAVA_BYTE))
                        .isEqualTo(copy);
                out.add(new Frame(r.timestampNanos(), r.capturedLength(), r.originalLength(), r.frameOffset(),
                        copy));
            }
            assertThat(r.next()).isFalse();
        }
        return out;
    }

    /** Last octet of the IPv4 destination of a frame from the fixtures. */
    static int ipDstLast(Frame f) {
        return f.data()[14 + 19] & 0xFF;
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic-ns-le.pcap", "classic-ns-be.pcap", "pcapng-ns.pcapng"})
    void nanosecondFixtures(String name) throws IOException {
        List<Frame> fs = readAll(file(name, resource(name)));
        assertThat(fs).extracting(Frame::ts)
                .containsExactly(1700000000_123456789L, 1700000001_000001999L, 1700000002_500000000L);
        assertThat(fs).extracting(Frame::caplen).containsExactly(47, 74, 142);
        assertThat(fs).extracting(Frame::origlen).containsExactly(47, 74, 142);
        assertThat(fs.get(0).data()[0]).isEqualTo((byte) 0x02);
        assertThat(fs.get(1).data()[12]).isEqualTo((byte) 0x86); // ethertype 0x86dd
        assertThat(fs.get(2).data()[0]).isEqualTo((byte) 0xff);
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic-us-le.pcap", "classic-us-be.pcap", "pcapng-us.pcapng"})
    void microsecondFixtures(String name) throws IOException {
        List<Frame> fs = readAll(file(name, resource(name)));
        assertThat(fs).extracting(Frame::ts)
                .containsExactly(1700000000_123457000L, 1700000001_000002000L, 1700000002_500000000L);
        assertThat(fs).extracting(Frame::caplen).containsExactly(47, 74, 142);
    }

    @Test
    void classicOffsets() throws IOException {
        List<Frame> fs = readAll(file("a.pcap", resource("classic-us-le.pcap")));
        assertThat(fs).extracting(Frame::offset).containsExactly(24L, 24L + 16 + 47, 24L + 16 + 47 + 16 + 74);
    }

    @Test
    void multiSectionPcapng() throws IOException {
        List<Frame> fs = readAll(file("m.pcapng", resource("multi-section.pcapng")));
        assertThat(fs).extracting(PcapReaderTest::ipDstLast).containsExactly(1, 2, 3, 4, 5);
        assertThat(fs).extracting(Frame::ts).containsExactly(
                1700000000_500000000L, // EPB, if_tsresol 2^-20
                1700000000_250000000L, // EPB, if_tsresol 10^-3 plus if_tsoffset 1000 s
                1700000000_250000000L, // SPB: no timestamp, the previous frame's
                1700000001_001000000L, // OPB
                1700000002_000007000L); // second section, little-endian, default microseconds
        assertThat(fs).extracting(Frame::caplen).containsExactly(62, 62, 63, 62, 62);
        assertThat(fs).extracting(Frame::origlen).containsExactly(62, 62, 63, 62, 200);
    }

    @Test
    void mergecapTwoInterfaces() throws IOException {
        List<Frame> fs = readAll(file("merged.pcapng", resource("merged.pcapng")));
        assertThat(fs).extracting(Frame::ts).containsExactly(
                1700000000_123456789L, 1700000000_123457000L,
                1700000001_000001999L, 1700000001_000002000L,
                1700000002_500000000L, 1700000002_500000000L);
        assertThat(fs).extracting(Frame::caplen).containsExactly(47, 47, 74, 74, 142, 142);
    }

    @Test
    void pcapngOffsetsArePacketBlocks() throws IOException {
        byte[] b = resource("pcapng-us.pcapng");
        List<Frame> fs = readAll(file("a.pcapng", b));
        for (Frame f : fs) {
            int off = (int) f.offset();
            assertThat(b[off] & 0xFF).isEqualTo(6); // EPB, little-endian type
        }
    }

    // ------------------------------------------------------------------ corruption classes

    static final byte[] CLASSIC = classic();

    static byte[] classic() {
        try {
            return resource("classic-us-le.pcap");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void putLe(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    static void putBe(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    void expectError(byte[] content, long offset, String reasonPart) throws IOException {
        Path p = file("bad.pcap", content);
        assertThatThrownBy(() -> readAll(p))
                .isInstanceOf(PcapFormatException.class)
                .hasMessageStartingWith("bad.pcap: offset " + offset + ": ")
                .hasMessageContaining(reasonPart)
                .satisfies(e -> assertThat(((PcapFormatException) e).offset()).isEqualTo(offset));
    }

    static byte[] cut(byte[] b, int n) {
        return java.util.Arrays.copyOf(b, n);
    }

    @Test
    void classicCorruptions() throws IOException {
        expectError(new byte[0], 0, "truncated file header (0 of 4");
        expectError(cut(CLASSIC, 10), 0, "truncated file header (10 of 24 bytes)");
        byte[] b = CLASSIC.clone();
        b[0] = 0x12;
        expectError(b, 0, "bad magic number 0x12c3b2a1");
        b = CLASSIC.clone();
        b[4] = 3;
        expectError(b, 4, "unsupported pcap version 3.4");
        b = CLASSIC.clone();
        putLe(b, 20, 113);
        expectError(b, 20, "link type 113 is not supported");
        b = CLASSIC.clone();
        putLe(b, 20, 0x1400_0001);
        expectError(b, 20, "link type field 0x14000001 has FCS or reserved bits set");
        int rec2 = 24 + 16 + 47;
        expectError(cut(CLASSIC, rec2 + 5), rec2, "truncated record header (5 of 16 bytes)");
        expectError(cut(CLASSIC, rec2 + 16 + 10), rec2, "truncated record: captured length 74 but only 10 bytes");
        expectError(cut(CLASSIC, CLASSIC.length - 1), 24 + 16 + 47 + 16 + 74, "truncated record");
        b = CLASSIC.clone();
        putLe(b, rec2 + 4, 1_000_000);
        expectError(b, rec2 + 4, "microseconds 1000000 are not below one second");
        b = resource("classic-ns-be.pcap");
        putBe(b, rec2 + 4, 1_000_000_000);
        expectError(b, rec2 + 4, "nanoseconds 1000000000 are not below one second");
        b = CLASSIC.clone();
        putLe(b, rec2 + 8, 262145);
        expectError(b, rec2 + 8, "captured length 262145 exceeds the maximum of 262144");
        b = CLASSIC.clone();
        putLe(b, rec2 + 8, 70000);
        expectError(b, rec2 + 8, "captured length 70000 exceeds the file's snaplen 65535");
        b = CLASSIC.clone();
        putLe(b, rec2 + 12, -1);
        expectError(b, rec2 + 12, "original length 4294967295 is too large");
        // the same file cut exactly between records is fine
        Path ok = file("ok.pcap", cut(CLASSIC, rec2));
        assertThat(readAll(ok)).hasSize(1);
    }

    @Test
    void pcapngCorruptions() throws IOException {
        byte[] ng = resource("pcapng-us.pcapng"); // little-endian
        int shbLen = ng[4] & 0xFF | (ng[5] & 0xFF) << 8;
        int idb = shbLen;
        int idbLen = ng[idb + 4] & 0xFF | (ng[idb + 5] & 0xFF) << 8;
        int epb = idb + idbLen;
        int epbLen = ng[epb + 4] & 0xFF | (ng[epb + 5] & 0xFF) << 8;
        assertThat(ng[epb]).isEqualTo((byte) 6);

        byte[] b = ng.clone();
        b[8] = 0x11;
        expectError(b, 8, "bad byte-order magic");
        b = ng.clone();
        b[12] = 2;
        expectError(b, 12, "unsupported pcapng version 2.0");
        b = ng.clone();
        putLe(b, epb + 4, 8);
        expectError(b, epb + 4, "block length 8 is less than 12");
        b = ng.clone();
        putLe(b, epb + 4, epbLen + 2);
        expectError(b, epb + 4, "is not a multiple of 4");
        b = ng.clone();
        putLe(b, epb + 4, 0x7FFFFFF0);
        expectError(b, epb + 4, "exceeds the maximum of 16777216");
        b = ng.clone();
        putLe(b, epb + epbLen - 4, epbLen + 4);
        expectError(b, epb + epbLen - 4, "trailing block length " + (epbLen + 4) + " does not match the leading "
                + epbLen);
        expectError(cut(ng, epb + 6), epb, "truncated block header (6 of 8 bytes)");
        expectError(cut(ng, epb + epbLen - 1), epb, "truncated block: length " + epbLen + " but only "
                + (epbLen - 1) + " bytes left");
        b = ng.clone();
        putLe(b, epb + 8, 3);
        expectError(b, epb + 8, "packet refers to interface 3 but the section describes 1");
        b = ng.clone();
        putLe(b, epb + 20, epbLen);
        expectError(b, epb + 20, "captured length " + epbLen + " overruns the block");
        b = ng.clone();
        b[idb + 8] = 105;
        expectError(b, idb + 8, "interface 0 has link type 105; only LINKTYPE_ETHERNET (1) is supported");
        b = ng.clone();
        putLe(b, 4, 24);
        putLe(b, 20, 24);
        expectError(b, 4, "section header block length 24 is less than 28");
        b = ng.clone();
        putLe(b, epb + 4, 28);
        putLe(b, epb + 24, 28);
        expectError(b, epb + 4, "packet block length 28 is less than 32");
    }

    @Test
    void bigEndianPcapngCorruptions() throws IOException {
        byte[] m = resource("multi-section.pcapng");
        int shbLen = (m[6] & 0xFF) << 8 | (m[7] & 0xFF);
        int idb0 = shbLen;
        // if_tsresol option of IDB 0: code 9 at idb0 + 16; make its value unsupported
        assertThat(m[idb0 + 17]).isEqualTo((byte) 9);
        byte[] b = m.clone();
        b[idb0 + 20] = (byte) 0xC0; // 2^-64
        expectError(b, idb0 + 20, "unsupported if_tsresol 0xc0");
        b = m.clone();
        putBe(b, idb0 + 16, (9 << 16) | 200); // option length 200 overruns the block
        expectError(b, idb0 + 16, "option 9 of length 200 overruns its block");
        b = m.clone();
        putBe(b, 4, 27);
        expectError(b, 4, "block length 27 is not a multiple of 4");
    }

    /** A too-short packet block ending exactly at the end of the reader's 64 KiB buffer. */
    @Test
    void shortPacketBlockAtTheEndOfTheBuffer() throws IOException {
        for (int type : new int[] {6, 2}) {
            PcapngBuilder ng = new PcapngBuilder(java.nio.ByteOrder.LITTLE_ENDIAN).idb(0);
            ng.epb(0, 1, new byte[65536 - 12 - ng.size() - 32]);
            assertThat(ng.size()).isEqualTo(65524);
            ng.empty(type).epb(0, 2, new byte[60]);
            expectError(ng.bytes(), 65524 + 4, "packet block length 12 is less than 32");
        }
    }

    @Test
    void firstBlockMustBeSectionHeader() throws IOException {
        byte[] b = resource("pcapng-us.pcapng").clone();
        b[0] = 1;
        b[1] = 0;
        b[2] = 0;
        b[3] = 0;
        expectError(b, 0, "bad magic number 0x01000000");
    }
}
