package org.jnft.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight view of the 4-byte IEEE 802.1Q tag as it sits in a frame after the MAC addresses: wrap it
 * at the tag protocol identifier (offset 12 of the frame for the outer tag). {@link #tpid()} is the TPID
 * ({@code 0x8100} or {@code 0x88A8}); {@link #etherType()} is the EtherType that follows the tag.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     TPID (0x8100 / 0x88A8)    | PCP |D|         VID           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   EtherType (encapsulated)    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *                                  \_________ TCI _________/
 * </pre>
 *
 * The view spans 6 bytes (TPID, TCI, inner EtherType); the tag itself is {@link #TAG_LEN} = 4 bytes.
 */
public final class VlanView {
    /** Bytes a tag adds to a frame. */
    public static final int TAG_LEN = 4;
    public static final int TPID = 0;
    public static final int TCI = 2;
    public static final int ETHER_TYPE = 4;

    private MemorySegment seg;
    private long off;

    public VlanView wrap(MemorySegment seg, long offset) {
        this.seg = seg;
        this.off = offset;
        return this;
    }

    public int tpid() {
        return Bytes.u16(seg, off + TPID);
    }

    public int tci() {
        return Bytes.u16(seg, off + TCI);
    }

    /** VLAN identifier, 12 bits. */
    public int vid() {
        return tci() & 0x0fff;
    }

    /** Priority code point, 3 bits. */
    public int pcp() {
        return tci() >>> 13;
    }

    /** Drop eligible indicator (formerly CFI). */
    public boolean dei() {
        return (tci() & 0x1000) != 0;
    }

    public int etherType() {
        return Bytes.u16(seg, off + ETHER_TYPE);
    }

    public VlanView tpid(int v) {
        Bytes.setU16(seg, off + TPID, v);
        return this;
    }

    public VlanView tci(int v) {
        Bytes.setU16(seg, off + TCI, v);
        return this;
    }

    public VlanView vid(int v) {
        return tci((tci() & 0xf000) | (v & 0x0fff));
    }

    public VlanView pcp(int v) {
        return tci((tci() & 0x1fff) | ((v & 7) << 13));
    }

    public VlanView dei(boolean v) {
        return tci(v ? tci() | 0x1000 : tci() & ~0x1000);
    }

    public VlanView etherType(int v) {
        Bytes.setU16(seg, off + ETHER_TYPE, v);
        return this;
    }
}
