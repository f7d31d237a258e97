package org.jnft.io.linux;

import java.lang.foreign.MemorySegment;

/**
 * One received frame, as a flyweight over the receive ring: the frame is
 * {@code [offset(), offset() + length())} of {@link #segment()}, valid only until the handler returns
 * (the ring block then goes back to the kernel). The handler may rewrite the bytes in place. One instance
 * per link, refilled for every frame; nothing is allocated.
 */
public final class RxFrame {
    /** sll_pkttype values (linux/if_packet.h). */
    public static final int PACKET_HOST = 0, PACKET_BROADCAST = 1, PACKET_MULTICAST = 2, PACKET_OTHERHOST = 3,
            PACKET_OUTGOING = 4;

    MemorySegment segment;
    long offset;
    int length;
    int wireLength;
    long timestampNanos;
    int pktType;
    int vlanTci = -1;
    int ifindex;
    final VnetHeader vnet = new VnetHeader();

    /** The whole mapped ring (or buffer) the frame lies in. */
    public MemorySegment segment() {
        return segment;
    }

    /** Offset of the Ethernet header in {@link #segment()}. */
    public long offset() {
        return offset;
    }

    /** Bytes captured (the whole frame unless the ring block was too small: see {@link #truncated()}). */
    public int length() {
        return length;
    }

    /** The frame's length on the wire (tp_len). */
    public int wireLength() {
        return wireLength;
    }

    public boolean truncated() {
        return length < wireLength;
    }

    /** Kernel receive time (CLOCK_REALTIME), nanoseconds since the epoch. */
    public long timestampNanos() {
        return timestampNanos;
    }

    /** sll_pkttype: {@link #PACKET_HOST}, {@link #PACKET_BROADCAST}, ... */
    public int pktType() {
        return pktType;
    }

    /**
     * The 802.1Q TCI the kernel had stripped (VLAN acceleration), or -1. When the link re-inserts tags
     * (the default), the tag is already back in the frame's bytes and this only reports it.
     */
    public int vlanTci() {
        return vlanTci;
    }

    public int ifindex() {
        return ifindex;
    }

    /** The frame's checksum / GSO metadata (all zero when the link has no vnet header). */
    public VnetHeader vnet() {
        return vnet;
    }
}
