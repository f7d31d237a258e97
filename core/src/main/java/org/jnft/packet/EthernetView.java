package org.jnft.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight view of an Ethernet II header (IEEE 802.3 / DIX).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Destination MAC (48 bits)                     |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                    Source MAC (48 bits)                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           EtherType           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * MACs are {@code long}s (low 48 bits, first octet most significant). With 802.1Q tags the field at
 * offset 12 is the tag protocol identifier (see {@link VlanView}).
 */
public final class EthernetView {
    public static final int HEADER_LEN = 14;
    public static final int DST = 0;
    public static final int SRC = 6;
    public static final int ETHER_TYPE = 12;
    /** The broadcast MAC ff:ff:ff:ff:ff:ff. */
    public static final long BROADCAST = 0xffff_ffff_ffffL;

    private MemorySegment seg;
    private long off;

    public EthernetView wrap(MemorySegment seg, long offset) {
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

    public long dst() {
        return Bytes.u48(seg, off + DST);
    }

    public long src() {
        return Bytes.u48(seg, off + SRC);
    }

    public int etherType() {
        return Bytes.u16(seg, off + ETHER_TYPE);
    }

    public EthernetView dst(long mac) {
        Bytes.setU48(seg, off + DST, mac);
        return this;
    }

    public EthernetView src(long mac) {
        Bytes.setU48(seg, off + SRC, mac);
        return this;
    }

    public EthernetView etherType(int type) {
        Bytes.setU16(seg, off + ETHER_TYPE, type);
        return this;
    }

    /** True when the group bit (least significant bit of the first octet) is set: multicast or broadcast. */
    public static boolean isMulticast(long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }
}
