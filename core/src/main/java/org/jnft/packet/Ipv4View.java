package org.jnft.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight view of an IPv4 header (RFC 791).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |    DSCP   |ECN|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |0|D|M|     Fragment Offset     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (IHL > 5)          |    Padding    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Addresses are {@code int}s read big-endian. {@link #fragmentOffset()} is in bytes (the field times 8).
 */
public final class Ipv4View {
    public static final int MIN_HEADER_LEN = 20;
    public static final int FLAG_RESERVED = 0x8000;
    public static final int FLAG_DF = 0x4000;
    public static final int FLAG_MF = 0x2000;
    public static final int OFFSET_MASK = 0x1fff;
    /** Offset of the checksum field. */
    public static final int CHECKSUM = 10;

    private MemorySegment seg;
    private long off;

    public Ipv4View wrap(MemorySegment seg, long offset) {
        this.seg = seg;
        this.off = offset;
        return this;
    }

    public MemorySegment segment() {
        return seg;
    }

    public long offset() {
        return off;
    }

    public int version() {
        return Bytes.u8(seg, off) >>> 4;
    }

    /** Header length in 32-bit words. */
    public int ihl() {
        return Bytes.u8(seg, off) & 0x0f;
    }

    /** Header length in bytes (IHL * 4). */
    public int headerLength() {
        return ihl() << 2;
    }

    public boolean hasOptions() {
        return ihl() > 5;
    }

    public int tos() {
        return Bytes.u8(seg, off + 1);
    }

    public int dscp() {
        return tos() >>> 2;
    }

    public int ecn() {
        return tos() & 3;
    }

    public int totalLength() {
        return Bytes.u16(seg, off + 2);
    }

    public int id() {
        return Bytes.u16(seg, off + 4);
    }

    /** The raw flags + fragment offset word. */
    public int fragField() {
        return Bytes.u16(seg, off + 6);
    }

    public boolean df() {
        return (fragField() & FLAG_DF) != 0;
    }

    public boolean mf() {
        return (fragField() & FLAG_MF) != 0;
    }

    /** Fragment offset in bytes. */
    public int fragmentOffset() {
        return (fragField() & OFFSET_MASK) << 3;
    }

    /** True for any fragment (MF set or a non-zero offset), as Linux's ip_is_fragment. */
    public boolean isFragment() {
        return (fragField() & (FLAG_MF | OFFSET_MASK)) != 0;
    }

    public int ttl() {
        return Bytes.u8(seg, off + 8);
    }

    public int protocol() {
        return Bytes.u8(seg, off + 9);
    }

    public int checksum() {
        return Bytes.u16(seg, off + CHECKSUM);
    }

    public int src() {
        return Bytes.u32(seg, off + 12);
    }

    public int dst() {
        return Bytes.u32(seg, off + 16);
    }

    /** Sets version 4 and the given IHL (words). */
    public Ipv4View versionIhl(int ihl) {
        Bytes.setU8(seg, off, 0x40 | (ihl & 0x0f));
        return this;
    }

    public Ipv4View tos(int v) {
        Bytes.setU8(seg, off + 1, v);
        return this;
    }

    public Ipv4View totalLength(int v) {
        Bytes.setU16(seg, off + 2, v);
        return this;
    }

    public Ipv4View id(int v) {
        Bytes.setU16(seg, off + 4, v);
        return this;
    }

    public Ipv4View fragField(int v) {
        Bytes.setU16(seg, off + 6, v);
        return this;
    }

    public Ipv4View ttl(int v) {
        Bytes.setU8(seg, off + 8, v);
        return this;
    }

    public Ipv4View protocol(int v) {
        Bytes.setU8(seg, off + 9, v);
        return this;
    }

    public Ipv4View checksum(int v) {
        Bytes.setU16(seg, off + CHECKSUM, v);
        return this;
    }

    public Ipv4View src(int v) {
        Bytes.setU32(seg, off + 12, v);
        return this;
    }

    public Ipv4View dst(int v) {
        Bytes.setU32(seg, off + 16, v);
        return this;
    }

    /**
     * The checksum this header should carry: RFC 1071 over {@link #headerLength()} bytes with the
     * checksum field taken as zero, whatever it holds. (This is the value {@link #fillChecksum()} stores;
     * to verify a received header use {@link #checksumValid()}, since 0x0000 and 0xffff are both valid
     * encodings when the rest of the header sums to 0xffff.) Needs IHL &gt;= 5.
     */
    public int computeChecksum() {
        long acc = Checksum.sum(seg, off, headerLength(), 0);
        acc += ~checksum() & 0xffff;
        return Checksum.finish(acc);
    }

    /** True when the header, checksum field included, sums to 0xffff (IHL &gt;= 5 needed). */
    public boolean checksumValid() {
        return Checksum.ipv4HeaderValid(seg, off);
    }

    /** Stores {@link #computeChecksum()}. */
    public void fillChecksum() {
        checksum(computeChecksum());
    }

    /**
     * Decrements the TTL and updates the checksum incrementally (RFC 1624), exactly as Linux's
     * {@code ip_decrease_ttl}: the TTL is the high byte of its 16-bit word, so the sum drops by 0x0100
     * and the checksum grows by 0x0100 with end-around carry. The caller checks TTL &gt; 1 first; a TTL
     * of 0 wraps to 255 (as the kernel's u8 does).
     */
    public void decrementTtl() {
        checksum(Checksum.decreaseTtl(checksum()));
        ttl(ttl() - 1);
    }
}
