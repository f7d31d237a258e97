package org.jnft.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight view of an ICMPv6 header (RFC 4443) and of Neighbour Discovery messages (RFC 4861).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |           Checksum            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Identifier (echo) | MTU (packet too big) | R|S|O flags (NA) ...|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +       NS/NA/redirect: target address (128 bits, at +8)        +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Options: | Type | Length (units of 8 bytes) | value ...      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * For echo messages the second word is identifier (16) + sequence (16); for Packet Too Big it is the MTU
 * (32 bits); for Neighbour Advertisement the R/S/O flags are its top bits. The checksum uses the IPv6
 * pseudo-header.
 */
public final class Icmpv6View {
    public static final int HEADER_LEN = 8;
    public static final int CHECKSUM = 2;

    public static final int DEST_UNREACH = 1;
    public static final int PACKET_TOO_BIG = 2;
    public static final int TIME_EXCEEDED = 3;
    public static final int PARAM_PROBLEM = 4;
    public static final int ECHO_REQUEST = 128;
    public static final int ECHO_REPLY = 129;
    public static final int MLD_QUERY = 130;
    public static final int MLD_REPORT = 131;
    public static final int MLD_DONE = 132;
    public static final int ROUTER_SOLICIT = 133;
    public static final int ROUTER_ADVERT = 134;
    public static final int NEIGHBOUR_SOLICIT = 135;
    public static final int NEIGHBOUR_ADVERT = 136;
    public static final int REDIRECT = 137;
    public static final int MLD2_REPORT = 143;

    /** Destination unreachable codes. */
    public static final int NOROUTE = 0;
    public static final int ADM_PROHIBITED = 1;
    public static final int NOT_NEIGHBOUR = 2;
    public static final int ADDR_UNREACH = 3;
    public static final int PORT_UNREACH = 4;
    public static final int POLICY_FAIL = 5;
    public static final int REJECT_ROUTE = 6;
    /** Time exceeded codes. */
    public static final int EXC_HOPLIMIT = 0;
    public static final int EXC_FRAGTIME = 1;

    /** Neighbour Advertisement flags in {@link #restOfHeader()}. */
    public static final int NA_ROUTER = 0x8000_0000;
    public static final int NA_SOLICITED = 0x4000_0000;
    public static final int NA_OVERRIDE = 0x2000_0000;

    /** NDP option types. */
    public static final int OPT_SOURCE_LL_ADDR = 1;
    public static final int OPT_TARGET_LL_ADDR = 2;
    public static final int OPT_PREFIX_INFO = 3;
    public static final int OPT_REDIRECT_HDR = 4;
    public static final int OPT_MTU = 5;

    private MemorySegment seg;
    private long off;

    public Icmpv6View wrap(MemorySegment seg, long offset) {
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

    /** MTU of a Packet Too Big message (the whole second word, raw). */
    public int mtu() {
        return Bytes.u32(seg, off + 4);
    }

    /** NS/NA/redirect target address, high half (bytes 8..15). */
    public long targetHi() {
        return Bytes.u64(seg, off + 8);
    }

    /** NS/NA/redirect target address, low half (bytes 16..23). */
    public long targetLo() {
        return Bytes.u64(seg, off + 16);
    }

    public Icmpv6View type(int v) {
        Bytes.setU8(seg, off, v);
        return this;
    }

    public Icmpv6View code(int v) {
        Bytes.setU8(seg, off + 1, v);
        return this;
    }

    public Icmpv6View checksum(int v) {
        Bytes.setU16(seg, off + CHECKSUM, v);
        return this;
    }

    public Icmpv6View id(int v) {
        Bytes.setU16(seg, off + 4, v);
        return this;
    }

    public Icmpv6View sequence(int v) {
        Bytes.setU16(seg, off + 6, v);
        return this;
    }

    public Icmpv6View restOfHeader(int v) {
        Bytes.setU32(seg, off + 4, v);
        return this;
    }

    public Icmpv6View mtu(int v) {
        Bytes.setU32(seg, off + 4, v);
        return this;
    }

    public Icmpv6View target(long hi, long lo) {
        Bytes.setU64(seg, off + 8, hi);
        Bytes.setU64(seg, off + 16, lo);
        return this;
    }

    /** True for error messages (types below 128). */
    public static boolean isError(int type) {
        return type < 128;
    }

    /**
     * Where NDP options start for this message type, relative to the header: RS 8, RA 16, NS/NA 24,
     * redirect 40; -1 for types without options.
     */
    public int ndpOptionsStart() {
        return switch (type()) {
            case ROUTER_SOLICIT -> 8;
            case ROUTER_ADVERT -> 16;
            case NEIGHBOUR_SOLICIT, NEIGHBOUR_ADVERT -> 24;
            case REDIRECT -> 40;
            default -> -1;
        };
    }

    /**
     * Offset, relative to this header, of the first NDP option of {@code optionType}, or -1.
     * {@code packetEnd} is the absolute segment offset where the ICMPv6 message ends (e.g.
     * {@code info.l4Offset + info.l4Length}). Stops at a zero-length option (RFC 4861 says to discard
     * such a message) or an option running past the end. Never throws, never allocates.
     */
    public int optionOffset(int optionType, int packetEnd) {
        int start = ndpOptionsStart();
        if (start < 0) {
            return -1;
        }
        long end = Math.min(packetEnd, seg.byteSize());
        long p = off + start;
        while (p + 2 <= end) {
            int len = Bytes.u8(seg, p + 1) * 8;
            if (len == 0 || p + len > end) {
                return -1;
            }
            if (Bytes.u8(seg, p) == optionType) {
                return (int) (p - off);
            }
            p += len;
        }
        return -1;
    }

    /**
     * The Ethernet address in the source (1) or target (2) link-layer address option, or -1 when absent
     * or not 8 bytes long (an Ethernet option is exactly one unit). {@code end} as in {@link #optionOffset}.
     */
    public long linkLayerOption(int optionType, int end) {
        int p = optionOffset(optionType, end);
        if (p < 0 || Bytes.u8(seg, off + p + 1) != 1) {
            return -1;
        }
        return Bytes.u48(seg, off + p + 2);
    }
}
