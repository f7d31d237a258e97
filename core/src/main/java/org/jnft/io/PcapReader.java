package org.jnft.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Sequential reader of classic pcap and pcapng capture files holding Ethernet frames.
 *
 * <p>Formats accepted:
 * <ul>
 * <li>classic pcap, magic {@code a1b2c3d4} (microsecond timestamps) and {@code a1b23c4d} (nanosecond
 *     timestamps), written in either byte order, version 2.x, link type {@code LINKTYPE_ETHERNET} (1);</li>
 * <li>pcapng (several sections, each in its own byte order): Section Header, Interface Description (with
 *     {@code if_tsresol}, decimal and power-of-two, and {@code if_tsoffset} honoured), Enhanced Packet,
 *     Simple Packet (captured length taken from interface 0's snaplen; it carries no timestamp, so it gets
 *     the timestamp of the previous frame of the section, 0 if none) and the obsolete Packet block.
 *     Every other block type is skipped. Interfaces whose link type is not Ethernet are rejected when their
 *     description block is read.</li>
 * </ul>
 *
 * <p>Usage: {@link #next()} advances to the next frame and returns false at a clean end of file; the
 * accessors then describe that frame. {@link #frame()} is a view over the reader's internal buffer (no
 * copy), valid until the next call to {@code next()} or {@code close()}; {@link #buffer()} and
 * {@link #frameStart()} give the same bytes without even allocating the slice.
 *
 * <p>Errors: anything malformed raises {@link PcapFormatException} naming the byte offset of the problem
 * (the offset of the offending field, or of the record or block that is cut short). In particular <b>a
 * file that ends in the middle of a record or block is an error</b>, not a silent end of file: replaying a
 * capture that was cut off while being written must be noticed. A captured length above 262144 bytes
 * (tcpdump's maximum snaplen) or above the file's or interface's (non-zero) snaplen is an error, as is a
 * pcapng block longer than 16 MiB, shorter than its minimum, or whose length is not a multiple of 4, and
 * a classic record whose microseconds (nanoseconds) field is a second or more.
 *
 * <p>Not thread-safe.
 */
public final class PcapReader implements AutoCloseable {
    /** Largest captured length accepted (tcpdump's MAXIMUM_SNAPLEN). */
    public static final int MAX_CAPLEN = 262144;
    /** Largest pcapng block accepted. */
    public static final int MAX_BLOCK = 16 * 1024 * 1024;

    static final int LINKTYPE_ETHERNET = 1;
    static final int MAGIC_US = 0xa1b2c3d4;
    static final int MAGIC_NS = 0xa1b23c4d;
    static final int SHB = 0x0A0D0D0A;
    static final int BOM = 0x1A2B3C4D;
    static final int IDB = 1;
    static final int OPB = 2;
    static final int SPB = 3;
    static final int EPB = 6;

    private static final VarHandle I32_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle I16_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I16_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private final String name;
    private final FileChannel ch;
    private final long size;
    private final boolean pcapng;

    private byte[] buf;
    private MemorySegment seg;
    private ByteBuffer bb;
    /** Valid bytes are buf[pos, lim); buf[0] is at file offset base. */
    private int pos;
    private int lim;
    private long base;

    /** Byte order of the classic file or of the current pcapng section. */
    private boolean big;
    // classic pcap
    private boolean nanos;
    private long snaplen;
    // pcapng section state: interfaces of the current section
    private int ifCount;
    private long[] ifSnaplen = new long[4];
    private boolean[] ifPow2 = new boolean[4];
    private int[] ifExp = new int[4];
    private long[] ifOffsetSec = new long[4];

    // current frame
    private long ts;
    private int caplen;
    private int origlen;
    private int frameStart;
    private long frameOffset = -1;
    private long frames;
    private boolean closed;

    private PcapReader(String name, FileChannel ch, int bufferSize) throws IOException {
        this.name = name;
        this.ch = ch;
        this.buf = new byte[bufferSize];
        this.seg = MemorySegment.ofArray(buf);
        this.bb = ByteBuffer.wrap(buf);
        this.size = ch.size();
        int n = fill(4);
        if (n < 4) {
            throw err(0, "truncated file header (" + n + " of 4 bytes of magic number)");
        }
        int m = i32be(pos);
        if (m == SHB) {
            pcapng = true;
            // the section header is read by next() like any other block
        } else {
            pcapng = false;
            readClassicHeader(m);
        }
    }

    /**
     * Opens FILE; {@code displayName} is how error messages name it. Reads and checks the file header.
     *
     * @throws PcapFormatException when the file is not a readable pcap or pcapng file
     * @throws IOException when it cannot be read at all
     */
    public static PcapReader open(Path file, String displayName) throws IOException {
        return open(file, displayName, 1 << 16);
    }

    /** As {@link #open(Path, String)} with an initial buffer of BUFFERSIZE bytes (it grows as needed). */
    static PcapReader open(Path file, String displayName, int bufferSize) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new PcapReader(displayName, ch, Math.max(bufferSize, 16));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** True when the file is pcapng, false for classic pcap. */
    public boolean isPcapng() {
        return pcapng;
    }

    /**
     * Advances to the next frame.
     *
     * @return false at a clean end of file (the end falls exactly between two records or blocks)
     * @throws PcapFormatException on malformed input, including a file cut in the middle of a record
     */
    public boolean next() throws IOException {
        if (closed) {
            throw new IOException(name + ": reader is closed");
        }
        boolean ok = pcapng ? nextBlock() : nextRecord();
        if (ok) {
            frames++;
        }
        return ok;
    }

    /** Timestamp of the current frame, in nanoseconds since the epoch. */
    public long timestampNanos() {
        return ts;
    }

    /** Number of bytes of the current frame present in the file. */
    public int capturedLength() {
        return caplen;
    }

    /** Length of the current frame on the wire (may exceed {@link #capturedLength()}). */
    public int originalLength() {
        return origlen;
    }

    /** File offset of the current frame's record (classic) or block (pcapng). */
    public long frameOffset() {
        return frameOffset;
    }

    /** 1-based number of the current frame in the file. */
    public long frameNumber() {
        return frames;
    }

    /** Zero-copy view of the current frame's captured bytes; valid until the next {@link #next()}. */
    public MemorySegment frame() {
        return seg.asSlice(frameStart, caplen);
    }

    /** The internal buffer; the current frame is at {@link #frameStart()}, valid until the next {@code next()}. */
    public MemorySegment buffer() {
        return seg;
    }

    /** Offset of the current frame in {@link #buffer()}. */
    public int frameStart() {
        return frameStart;
    }

    /** A copy of the current frame's captured bytes. */
    public byte[] frameBytes() {
        return Arrays.copyOfRange(buf, frameStart, frameStart + caplen);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        ch.close();
    }

    // ---------------------------------------------------------------- classic pcap

    private void readClassicHeader(int magicBe) throws IOException {
        int magicLe = Integer.reverseBytes(magicBe);
        if (magicBe == MAGIC_US || magicBe == MAGIC_NS) {
            big = true;
            nanos = magicBe == MAGIC_NS;
        } else if (magicLe == MAGIC_US || magicLe == MAGIC_NS) {
            big = false;
            nanos = magicLe == MAGIC_NS;
        } else {
            // the magic as its bytes appear in the file
            throw err(0, String.format("bad magic number 0x%08x: not a pcap or pcapng file", magicBe));
        }
        int n = fill(24);
        if (n < 24) {
            throw err(0, "truncated file header (" + n + " of 24 bytes)");
        }
        int major = u16(pos + 4);
        int minor = u16(pos + 6);
        if (major != 2) {
            throw err(4, "unsupported pcap version " + major + "." + minor);
        }
        snaplen = u32(pos + 16);
        long network = u32(pos + 20);
        // low 16 bits: the link type; the upper bits flag an FCS at the end of each frame (or are reserved)
        long linkType = network & 0xFFFF;
        if (linkType != LINKTYPE_ETHERNET) {
            throw err(20, "link type " + linkType + " is not supported; only LINKTYPE_ETHERNET (1) is");
        }
        if ((network >>> 16) != 0) {
            throw err(20, String.format("link type field 0x%08x has FCS or reserved bits set (frames with an FCS"
                    + " are not supported)", network));
        }
        pos += 24;
    }

    private boolean nextRecord() throws IOException {
        long off = offset();
        int n = fill(16);
        if (n == 0) {
            return false;
        }
        if (n < 16) {
            throw err(off, "truncated record header (" + n + " of 16 bytes)");
        }
        long sec = u32(pos);
        long frac = u32(pos + 4);
        long incl = u32(pos + 8);
        long orig = u32(pos + 12);
        if (frac >= (nanos ? 1_000_000_000L : 1_000_000L)) {
            throw err(off + 4, (nanos ? "nanoseconds " : "microseconds ") + frac + " are not below one second");
        }
        if (incl > MAX_CAPLEN) {
            throw err(off + 8, "captured length " + incl + " exceeds the maximum of " + MAX_CAPLEN);
        }
        if (snaplen != 0 && incl > snaplen) {
            throw err(off + 8, "captured length " + incl + " exceeds the file's snaplen " + snaplen);
        }
        if (orig > Integer.MAX_VALUE) {
            throw err(off + 12, "original length " + orig + " is too large");
        }
        long left = size - off - 16;
        if (incl > left) {
            throw err(off, "truncated record: captured length " + incl + " but only " + left
                    + " bytes left in the file");
        }
        fill(16 + (int) incl);
        ts = sec * 1_000_000_000L + (nanos ? frac : frac * 1000);
        caplen = (int) incl;
        origlen = (int) orig;
        frameStart = pos + 16;
        frameOffset = off;
        pos += 16 + caplen;
        return true;
    }

    // ---------------------------------------------------------------- pcapng

    private boolean nextBlock() throws IOException {
        while (true) {
            long off = offset();
            int n = fill(8);
            if (n == 0) {
                return false;
            }
            if (n < 8) {
                throw err(off, "truncated block header (" + n + " of 8 bytes)");
            }
            int typeBe = i32be(pos);
            if (typeBe == SHB) {
                n = fill(12);
                if (n < 12) {
                    throw err(off, "truncated section header block (" + n + " of 12 bytes)");
                }
                int bomBe = i32be(pos + 8);
                if (bomBe == BOM) {
                    big = true;
                } else if (Integer.reverseBytes(bomBe) == BOM) {
                    big = false;
                } else {
                    throw err(off + 8, String.format("bad byte-order magic 0x%08x in section header block", bomBe));
                }
            }
            int type = typeBe == SHB ? SHB : i32(pos);
            long len = u32(pos + 4);
            if (len < 12) {
                throw err(off + 4, "block length " + len + " is less than 12");
            }
            if ((len & 3) != 0) {
                throw err(off + 4, "block length " + len + " is not a multiple of 4");
            }
            if (len > MAX_BLOCK) {
                throw err(off + 4, "block length " + len + " exceeds the maximum of " + MAX_BLOCK);
            }
            long left = size - off;
            if (len > left) {
                throw err(off, "truncated block: length " + len + " but only " + left + " bytes left in the file");
            }
            int blen = (int) len;
            fill(blen);
            long trailer = u32(pos + blen - 4);
            if (trailer != len) {
                throw err(off + blen - 4, "trailing block length " + trailer + " does not match the leading "
                        + len);
            }
            int b = pos;
            pos += blen;
            switch (type) {
                case SHB -> sectionHeader(off, b, blen);
                case IDB -> interfaceDescription(off, b, blen);
                case EPB -> {
                    minLength(off, blen, 32);
                    packet(off, b, blen, 32, u32(b + 8), u32(b + 12), u32(b + 16), u32(b + 20), u32(b + 24), 28);
                    return true;
                }
                case OPB -> {
                    minLength(off, blen, 32);
                    packet(off, b, blen, 32, u16(b + 8), u32(b + 12), u32(b + 16), u32(b + 20), u32(b + 24), 28);
                    return true;
                }
                case SPB -> {
                    simplePacket(off, b, blen);
                    return true;
                }
                default -> {
                    // unknown or uninteresting block: skipped
                }
            }
        }
    }

    /** Fields are read only once the block is known to hold them (the buffer may end right after it). */
    private void minLength(long off, int blen, int min) throws PcapFormatException {
        if (blen < min) {
            throw err(off + 4, "packet block length " + blen + " is less than " + min);
        }
    }

    private void sectionHeader(long off, int b, int blen) throws IOException {
        if (blen < 28) {
            throw err(off + 4, "section header block length " + blen + " is less than 28");
        }
        int major = u16(b + 12);
        int minor = u16(b + 14);
        if (major != 1 || (minor != 0 && minor != 2)) { // 1.2 was written by early tools; Wireshark takes both
            throw err(off + 12, "unsupported pcapng version " + major + "." + minor);
        }
        options(off, b, b + 24, b + blen - 4, false);
        ifCount = 0;
        ts = 0;
    }

    private void interfaceDescription(long off, int b, int blen) throws IOException {
        if (blen < 20) {
            throw err(off + 4, "interface description block length " + blen + " is less than 20");
        }
        int linkType = u16(b + 8);
        long snap = u32(b + 12);
        if (linkType != LINKTYPE_ETHERNET) {
            throw err(off + 8, "interface " + ifCount + " has link type " + linkType
                    + "; only LINKTYPE_ETHERNET (1) is supported");
        }
        options(off, b, b + 16, b + blen - 4, true);
        boolean pow2 = optPow2;
        int exp = optExp;
        long offsetSec = optOffsetSec;
        if (ifCount == ifSnaplen.length) {
            int cap = ifCount * 2;
            ifSnaplen = Arrays.copyOf(ifSnaplen, cap);
            ifPow2 = Arrays.copyOf(ifPow2, cap);
            ifExp = Arrays.copyOf(ifExp, cap);
            ifOffsetSec = Arrays.copyOf(ifOffsetSec, cap);
        }
        ifSnaplen[ifCount] = snap;
        ifPow2[ifCount] = pow2;
        ifExp[ifCount] = exp;
        ifOffsetSec[ifCount] = offsetSec;
        ifCount++;
    }

    // if_tsresol and if_tsoffset as read by options(); defaults: microseconds, no offset
    private boolean optPow2;
    private int optExp;
    private long optOffsetSec;

    /**
     * Walks the options in buf[o, end) of the block at file offset OFF (buffer offset B), checking that
     * each fits (as Wireshark does); for an interface description also reads if_tsresol and if_tsoffset.
     */
    private void options(long off, int b, int o, int end, boolean idb) throws PcapFormatException {
        optPow2 = false;
        optExp = 6;
        optOffsetSec = 0;
        while (o + 4 <= end) {
            int code = u16(o);
            int olen = u16(o + 2);
            int padded = (olen + 3) & ~3;
            if (o + 4 + padded > end) {
                throw err(off + (o - b), "option " + code + " of length " + olen + " overruns its block");
            }
            if (code == 0) {
                break;
            }
            if (idb && code == 9) { // if_tsresol
                if (olen != 1) {
                    throw err(off + (o - b), "if_tsresol option has length " + olen + ", not 1");
                }
                int v = buf[o + 4] & 0xFF;
                optPow2 = (v & 0x80) != 0;
                optExp = v & 0x7F;
                if (optPow2 ? optExp > 63 : optExp > 27) {
                    throw err(off + (o - b) + 4, "unsupported if_tsresol 0x" + Integer.toHexString(v));
                }
            } else if (idb && code == 14) { // if_tsoffset
                if (olen != 8) {
                    throw err(off + (o - b), "if_tsoffset option has length " + olen + ", not 8");
                }
                optOffsetSec = i64(o + 4);
            }
            o += 4 + padded;
        }
    }

    private void packet(long off, int b, int blen, int minLen, long ifid, long tsHi, long tsLo, long incl,
                        long orig, int dataAt) throws IOException {
        if (blen < minLen) {
            throw err(off + 4, "packet block length " + blen + " is less than " + minLen);
        }
        if (ifid >= ifCount) {
            throw err(off + 8, "packet refers to interface " + ifid + " but the section describes "
                    + ifCount);
        }
        int ifx = (int) ifid;
        if (incl > blen - minLen) {
            throw err(off + 20, "captured length " + incl + " overruns the block of length " + blen);
        }
        checkCaplen(off + 20, incl, ifx);
        options(off, b, b + dataAt + (int) ((incl + 3) & ~3), b + blen - 4, false);
        if (orig > Integer.MAX_VALUE) {
            throw err(off + 24, "original length " + orig + " is too large");
        }
        ts = toNanos(off + 12, ifx, (tsHi << 32) | tsLo);
        caplen = (int) incl;
        origlen = (int) orig;
        frameStart = b + dataAt;
        frameOffset = off;
    }

    private void simplePacket(long off, int b, int blen) throws IOException {
        if (blen < 16) {
            throw err(off + 4, "simple packet block length " + blen + " is less than 16");
        }
        if (ifCount == 0) {
            throw err(off, "simple packet block in a section without an interface description");
        }
        long orig = u32(b + 8);
        if (orig > Integer.MAX_VALUE) {
            throw err(off + 8, "original length " + orig + " is too large");
        }
        long incl = ifSnaplen[0] != 0 ? Math.min(orig, ifSnaplen[0]) : orig;
        if (incl > blen - 16) {
            throw err(off + 8, "packet length " + incl + " overruns the block of length " + blen);
        }
        if (incl > MAX_CAPLEN) {
            throw err(off + 8, "captured length " + incl + " exceeds the maximum of " + MAX_CAPLEN);
        }
        caplen = (int) incl;
        origlen = (int) orig;
        frameStart = b + 12;
        frameOffset = off;
        // ts: unchanged (the previous frame's of this section, 0 at its start)
    }

    private void checkCaplen(long at, long incl, int ifx) throws PcapFormatException {
        if (incl > MAX_CAPLEN) {
            throw err(at, "captured length " + incl + " exceeds the maximum of " + MAX_CAPLEN);
        }
        long snap = ifSnaplen[ifx];
        if (snap != 0 && incl > snap) {
            throw err(at, "captured length " + incl + " exceeds interface " + ifx + "'s snaplen " + snap);
        }
    }

    /** Converts a raw pcapng timestamp (unsigned units of the interface's resolution) to nanoseconds. */
    private long toNanos(long at, int ifx, long raw) throws PcapFormatException {
        int e = ifExp[ifx];
        long ns;
        if (ifPow2[ifx]) {
            long hi = Math.unsignedMultiplyHigh(raw, 1_000_000_000L);
            long lo = raw * 1_000_000_000L;
            if (e == 0) {
                if (hi != 0) {
                    throw err(at, "timestamp out of range");
                }
                ns = lo;
            } else {
                if ((hi >>> e) != 0) {
                    throw err(at, "timestamp out of range");
                }
                ns = (hi << (64 - e)) | (lo >>> e);
            }
        } else if (e <= 9) {
            long mul = POW10[9 - e];
            if (Long.compareUnsigned(raw, Long.divideUnsigned(-1L, mul)) > 0) {
                throw err(at, "timestamp out of range");
            }
            ns = raw * mul;
        } else {
            ns = Long.divideUnsigned(raw, POW10[e - 9]);
        }
        if (ns < 0) {
            throw err(at, "timestamp out of range");
        }
        long offSec = ifOffsetSec[ifx];
        if (offSec != 0) {
            try {
                ns = Math.addExact(ns, Math.multiplyExact(offSec, 1_000_000_000L));
            } catch (ArithmeticException ex) {
                throw err(at, "timestamp out of range");
            }
        }
        return ns;
    }

    // ---------------------------------------------------------------- buffer

    private long offset() {
        return base + pos;
    }

    /**
     * Makes n bytes available at buf[pos] if the file has them; returns how many are available (less than
     * n only at end of file). Callers check n against the file size first, so n stays reasonable.
     */
    private int fill(int n) throws IOException {
        int have = lim - pos;
        if (have >= n) {
            return n;
        }
        if (n > buf.length) {
            byte[] nb = new byte[Math.max(n, Math.min(buf.length * 2, MAX_BLOCK))];
            System.arraycopy(buf, pos, nb, 0, have);
            buf = nb;
            seg = MemorySegment.ofArray(buf);
            bb = ByteBuffer.wrap(buf);
            base += pos;
            pos = 0;
            lim = have;
        } else if (pos + n > buf.length) {
            System.arraycopy(buf, pos, buf, 0, have);
            base += pos;
            pos = 0;
            lim = have;
        }
        while (lim - pos < n) {
            bb.limit(buf.length).position(lim);
            int r = ch.read(bb, base + lim);
            if (r <= 0) {
                break;
            }
            lim += r;
        }
        return Math.min(n, lim - pos);
    }

    private int i32be(int at) {
        return (int) I32_BE.get(buf, at);
    }

    private int i32(int at) {
        return big ? (int) I32_BE.get(buf, at) : (int) I32_LE.get(buf, at);
    }

    private long u32(int at) {
        return i32(at) & 0xFFFFFFFFL;
    }

    private int u16(int at) {
        return (big ? (short) I16_BE.get(buf, at) : (short) I16_LE.get(buf, at)) & 0xFFFF;
    }

    private long i64(int at) {
        long a = u32(at);
        long b = u32(at + 4);
        return big ? (a << 32) | b : (b << 32) | a;
    }

    private PcapFormatException err(long offset, String reason) {
        return new PcapFormatException(name, offset, reason);
    }
}
