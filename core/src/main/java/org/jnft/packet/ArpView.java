package org.jnft.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight view of an ARP packet for Ethernet and IPv4 (RFC 826), wrapped at the ARP header (after the
 * Ethernet header and any VLAN tags).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Hardware type (1)        |     Protocol type (0x0800)    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  HLEN (6)     |   PLEN (4)    |          Operation            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                Sender hardware address (SHA)                  |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |  Sender protocol address (SPA)|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        SPA (cont.)            |  Target hardware address (THA)|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                Target protocol address (TPA)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class ArpView {
    public static final int LEN = 28;
    public static final int OP_REQUEST = 1;
    public static final int OP_REPLY = 2;
    /** Hardware type Ethernet. */
    public static final int HTYPE_ETHERNET = 1;

    private MemorySegment seg;
    private long off;

    public ArpView wrap(MemorySegment seg, long offset) {
        this.seg = seg;
        this.off = offset;
        return this;
    }

    public int htype() {
        return Bytes.u16(seg, off);
    }

    public int ptype() {
        return Bytes.u16(seg, off + 2);
    }

    public int hlen() {
        return Bytes.u8(seg, off + 4);
    }

    public int plen() {
        return Bytes.u8(seg, off + 5);
    }

    public int op() {
        return Bytes.u16(seg, off + 6);
    }

    public long sha() {
        return Bytes.u48(seg, off + 8);
    }

    public int spa() {
        return Bytes.u32(seg, off + 14);
    }

    public long tha() {
        return Bytes.u48(seg, off + 18);
    }

    public int tpa() {
        return Bytes.u32(seg, off + 24);
    }

    /** True for Ethernet/IPv4 ARP (htype 1, ptype 0x0800, hlen 6, plen 4), the only kind jnft answers. */
    public boolean isEthernetIpv4() {
        return htype() == HTYPE_ETHERNET && ptype() == EtherType.IPV4 && hlen() == 6 && plen() == 4;
    }

    public ArpView htype(int v) {
        Bytes.setU16(seg, off, v);
        return this;
    }

    public ArpView ptype(int v) {
        Bytes.setU16(seg, off + 2, v);
        return this;
    }

    public ArpView hlen(int v) {
        Bytes.setU8(seg, off + 4, v);
        return this;
    }

    public ArpView plen(int v) {
        Bytes.setU8(seg, off + 5, v);
        return this;
    }

    public ArpView op(int v) {
        Bytes.setU16(seg, off + 6, v);
        return this;
    }

    public ArpView sha(long v) {
        Bytes.setU48(seg, off + 8, v);
        return this;
    }

    public ArpView spa(int v) {
        Bytes.setU32(seg, off + 14, v);
        return this;
    }

    public ArpView tha(long v) {
        Bytes.setU48(seg, off + 18, v);
        return this;
    }

    public ArpView tpa(int v) {
        Bytes.setU32(seg, off + 24, v);
        return this;
    }
}
