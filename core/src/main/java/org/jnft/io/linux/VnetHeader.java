package org.jnft.io.linux;

import java.lang.foreign.MemorySegment;

import org.jnft.packet.Bytes;
import org.jnft.packet.Checksum;

/**
 * The virtio_net_hdr the kernel puts in front of each frame on a PACKET_VNET_HDR socket (and expects in
 * front of each frame sent on one): checksum offload and GSO metadata. A mutable holder, reused per frame.
 * Offsets ({@link #csumStart}, {@link #hdrLen}) count from the first byte of the Ethernet header.
 *
 * <p>{@link #NEEDS_CSUM}: the L4 checksum is partial (the pseudo-header sum only), to be completed over
 * {@code [csumStart, end)} and stored at {@code csumStart + csumOffset}; the kernel does that when the
 * frame is sent back with this header. {@link #DATA_VALID}: the checksum was verified. A {@link #gsoType}
 * other than {@link #GSO_NONE} marks a GRO/GSO super-frame (up to 64 KiB) whose segments carry
 * {@link #gsoSize} bytes of payload each; sent with this header the kernel (or the next device) segments it.
 */
public final class VnetHeader {
    public static final int SIZE = 10;
    public static final int NEEDS_CSUM = 1, DATA_VALID = 2;
    public static final int GSO_NONE = 0, GSO_TCPV4 = 1, GSO_UDP = 3, GSO_TCPV6 = 4, GSO_UDP_L4 = 5, GSO_ECN = 0x80;

    public int flags;
    public int gsoType;
    public int hdrLen;
    public int gsoSize;
    public int csumStart;
    public int csumOffset;

    public void clear() {
        flags = gsoType = hdrLen = gsoSize = csumStart = csumOffset = 0;
    }

    public void copyFrom(VnetHeader o) {
        flags = o.flags;
        gsoType = o.gsoType;
        hdrLen = o.hdrLen;
        gsoSize = o.gsoSize;
        csumStart = o.csumStart;
        csumOffset = o.csumOffset;
    }

    /** A GSO super-frame (to be segmented into {@code gsoSize}-byte payloads). */
    public boolean isGso() {
        return (gsoType & ~GSO_ECN) != GSO_NONE;
    }

    public boolean needsChecksum() {
        return (flags & NEEDS_CSUM) != 0;
    }

    /**
     * Completes a partial L4 checksum in software, as the kernel's skb_checksum_help does, for a frame
     * that is not GSO and has {@link #NEEDS_CSUM}: sums {@code [csumStart, length)} (the field holds the
     * pseudo-header sum), stores the result (0 as 0xffff) at {@code csumStart + csumOffset}, and marks
     * the header {@link #DATA_VALID}. For a consumer that needs final bytes (a capture file, a checksum
     * check); forwarding does not need it. Returns false (changing nothing) when there is nothing to do or
     * the offsets lie outside the frame.
     */
    public boolean completeChecksum(MemorySegment seg, long frameOffset, int length) {
        if (!needsChecksum() || isGso() || csumStart >= length || csumStart + csumOffset + 2 > length) {
            return false;
        }
        long start = frameOffset + csumStart;
        int c = Checksum.finish(Checksum.sum(seg, start, length - csumStart, 0));
        Bytes.setU16(seg, start + csumOffset, c == 0 ? 0xffff : c);
        flags = (flags & ~NEEDS_CSUM) | DATA_VALID;
        return true;
    }

    @Override
    public String toString() {
        return "vnet{flags=" + flags + " gso=" + gsoType + " hdr_len=" + hdrLen + " gso_size=" + gsoSize
                + " csum=" + csumStart + "+" + csumOffset + "}";
    }
}
