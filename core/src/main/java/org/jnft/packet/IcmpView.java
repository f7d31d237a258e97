package org.jnft.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight view of an ICMP (IPv4) header (RFC 792, RFC 1191 for the next-hop MTU).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |           Checksum            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Identifier (echo) / unused   | Sequence (echo) / next-hop MTU|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data: echo payload, or the offending IP header + 8 bytes ... |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * {@link #restOfHeader()} is the raw second word. The checksum covers the whole ICMP message, no
 * pseudo-header.
 */
public final class IcmpView {
    public static final int HEADER_LEN = 8;
    public static final int CHECKSUM = 2;

    public static final int ECHO_REPLY = 0;
    public static final int DEST_UNREACH = 3;
    public static final int SOURCE_QUENCH = 4;
    public static final int REDIRECT = 5;
    public static final int ECHO_REQUEST = 8;
    public static final int TIME_EXCEEDED = 11;
    public static final int PARAMETER_PROBLEM = 12;
    public static final int TIMESTAMP = 13;
    public static final int TIMESTAMP_REPLY = 14;

    /** Destination unreachable codes (Linux's ICMP_* names). */
    public static final int NET_UNREACH = 0;
    public static final int HOST_UNREACH = 1;
    public static final int PROT_UNREACH = 2;
    public static final int PORT_UNREACH = 3;
    /** Fragmentation needed and DF set; {@link #mtu()} carries the next-hop MTU. */
    public static final int FRAG_NEEDED = 4;
    public static final int SR_FAILED = 5;
    public static final int NET_UNKNOWN = 6;
    public static final int HOST_UNKNOWN = 7;
    public static final int HOST_ISOLATED = 8;
    public static final int NET_ANO = 9;
    public static final int HOST_ANO = 10;
    public static final int NET_UNR_TOS = 11;
    public static final int HOST_UNR_TOS = 12;
    /** Communication administratively prohibited (nftables {@code reject with icmp admin-prohibited}). */
    public static final int PKT_FILTERED = 13;
    public static final int PREC_VIOLATION = 14;
    public static final int PREC_CUTOFF = 15;

    /** Time exceeded codes. */
    public static final int EXC_TTL = 0;
    public static final int EXC_FRAGTIME = 1;

    private MemorySegment seg;
    private long off;

    public IcmpView wrap(MemorySegment seg, long offset) {
        this.seg = seg;
        this.off = offset;
        return this;
    }

    public int type() {
        return Bytes.u8(seg, off);
    }

    public int code() {
        return Bytes.u8(seg, off + 1);
    }

    public int checksum() {
        return Bytes.u16(seg, off + CHECKSUM);
    }

    public int id() {
        return Bytes.u16(seg, off + 4);
    }

    public int sequence() {
        return Bytes.u16(seg, off + 6);
    }

    /** The raw 32-bit second word. */
    public int restOfHeader() {
        return Bytes.u32(seg, off + 4);
    }

    /** Next-hop MTU of a "fragmentation needed" message (low 16 bits of the second word). */
    public int mtu() {
        return Bytes.u16(seg, off + 6);
    }

    public IcmpView type(int v) {
        Bytes.setU8(seg, off, v);
        return this;
    }

    public IcmpView code(int v) {
        Bytes.setU8(seg, off + 1, v);
        return this;
    }

    public IcmpView checksum(int v) {
        Bytes.setU16(seg, off + CHECKSUM, v);
        return this;
    }

    public IcmpView id(int v) {
        Bytes.setU16(seg, off + 4, v);
        return this;
    }

    public IcmpView sequence(int v) {
        Bytes.setU16(seg, off + 6, v);
        return this;
    }

    public IcmpView restOfHeader(int v) {
        Bytes.setU32(seg, off + 4, v);
        return this;
    }

    public IcmpView mtu(int v) {
        Bytes.setU16(seg, off + 6, v);
        return this;
    }

    /** True for error messages (they quote an offending packet), as Linux's icmp_is_err. */
    public static boolean isError(int type) {
        return type == DEST_UNREACH || type == SOURCE_QUENCH || type == REDIRECT
                || type == TIME_EXCEEDED || type == PARAMETER_PROBLEM;
    }
}
