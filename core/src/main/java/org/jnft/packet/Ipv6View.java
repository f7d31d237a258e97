package org.jnft.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight view of the fixed IPv6 header (RFC 8200).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |              Flow Label               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Payload Length         |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                  Source Address (128 bits)                    +
 * |                 srcHi = bytes 8..15, srcLo = 16..23           |
 * +                                                               +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                Destination Address (128 bits)                 +
 * |                 dstHi = bytes 24..31, dstLo = 32..39          |
 * +                                                               +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Ipv6View {
    public static final int HEADER_LEN = 40;
    public static final int SRC = 8;
    public static final int DST = 24;

    private MemorySegment seg;
    private long off;

    public Ipv6View wrap(MemorySegment seg, long offset) {
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

    private int word0() {
        return Bytes.u32(seg, off);
    }

    public int version() {
        return word0() >>> 28;
    }

    public int trafficClass() {
        return (word0() >>> 20) & 0xff;
    }

    public int dscp() {
        return trafficClass() >>> 2;
    }

    public int ecn() {
        return trafficClass() & 3;
    }

    public int flowLabel() {
        return word0() & 0xfffff;
    }

    public int payloadLength() {
        return Bytes.u16(seg, off + 4);
    }

    public int nextHeader() {
        return Bytes.u8(seg, off + 6);
    }

    public int hopLimit() {
        return Bytes.u8(seg, off + 7);
    }

    public long srcHi() {
        return Bytes.u64(seg, off + SRC);
    }

    public long srcLo() {
        return Bytes.u64(seg, off + SRC + 8);
    }

    public long dstHi() {
        return Bytes.u64(seg, off + DST);
    }

    public long dstLo() {
        return Bytes.u64(seg, off + DST + 8);
    }

    /** Writes version 6, traffic class 0 and flow label 0 (the first word), for building. */
    public Ipv6View init() {
        Bytes.setU32(seg, off, 0x6000_0000);
        return this;
    }

    public Ipv6View trafficClass(int v) {
        Bytes.setU32(seg, off, (word0() & 0xf00f_ffff) | ((v & 0xff) << 20));
        return this;
    }

    public Ipv6View flowLabel(int v) {
        Bytes.setU32(seg, off, (word0() & 0xfff0_0000) | (v & 0xfffff));
        return this;
    }

    public Ipv6View payloadLength(int v) {
        Bytes.setU16(seg, off + 4, v);
        return this;
    }

    public Ipv6View nextHeader(int v) {
        Bytes.setU8(seg, off + 6, v);
        return this;
    }

    public Ipv6View hopLimit(int v) {
        Bytes.setU8(seg, off + 7, v);
        return this;
    }

    public Ipv6View src(long hi, long lo) {
        Bytes.setU64(seg, off + SRC, hi);
        Bytes.setU64(seg, off + SRC + 8, lo);
        return this;
    }

    public Ipv6View dst(long hi, long lo) {
        Bytes.setU64(seg, off + DST, hi);
        Bytes.setU64(seg, off + DST + 8, lo);
        return this;
    }

    /** Decrements the hop limit (IPv6 has no header checksum). */
    public void decrementHopLimit() {
        hopLimit(hopLimit() - 1);
    }
}
