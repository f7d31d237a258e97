package org.jnft.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight view of a UDP header (RFC 768); also fits UDP-Lite (RFC 3828), whose length field is the
 * checksum coverage.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Length             |           Checksum            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * A zero checksum means "none" over IPv4 and is invalid over IPv6.
 */
public final class UdpView {
    public static final int HEADER_LEN = 8;
    public static final int CHECKSUM = 6;

    private MemorySegment seg;
    private long off;

    public UdpView wrap(MemorySegment seg, long offset) {
        this.seg = seg;
        this.off = offset;
        return this;
    }

    public int sport() {
        return Bytes.u16(seg, off);
    }

    public int dport() {
        return Bytes.u16(seg, off + 2);
    }

    public int length() {
        return Bytes.u16(seg, off + 4);
    }

    public int checksum() {
        return Bytes.u16(seg, off + CHECKSUM);
    }

    public UdpView sport(int v) {
        Bytes.setU16(seg, off, v);
        return this;
    }

    public UdpView dport(int v) {
        Bytes.setU16(seg, off + 2, v);
        return this;
    }

    public UdpView length(int v) {
        Bytes.setU16(seg, off + 4, v);
        return this;
    }

    public UdpView checksum(int v) {
        Bytes.setU16(seg, off + CHECKSUM, v);
        return this;
    }
}
