package org.jnft.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight view of a TCP header (RFC 9293).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |     |N|C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsv |S|W|C|R|C|S|S|Y|I|            Window             |
 * |       |     | |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (data offset > 5)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * {@link #flags()} returns the 9 flag bits (NS is 0x100). Sequence and acknowledgment numbers are raw
 * 32-bit values.
 */
public final class TcpView {
    public static final int MIN_HEADER_LEN = 20;
    public static final int CHECKSUM = 16;
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;
    /** The experimental nonce-sum bit (RFC 3540, historic). */
    public static final int NS = 0x100;

    public static final int OPT_EOL = 0;
    public static final int OPT_NOP = 1;
    public static final int OPT_MSS = 2;
    public static final int OPT_WINDOW_SCALE = 3;
    public static final int OPT_SACK_PERMITTED = 4;
    public static final int OPT_SACK = 5;
    public static final int OPT_TIMESTAMP = 8;

    private MemorySegment seg;
    private long off;

    public TcpView wrap(MemorySegment seg, long offset) {
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

    public int sport() {
        return Bytes.u16(seg, off);
    }

    public int dport() {
        return Bytes.u16(seg, off + 2);
    }

    public int seq() {
        return Bytes.u32(seg, off + 4);
    }

    public int ack() {
        return Bytes.u32(seg, off + 8);
    }

    /** Data offset in 32-bit words. */
    public int dataOffset() {
        return Bytes.u8(seg, off + 12) >>> 4;
    }

    /** Header length in bytes (data offset * 4). */
    public int headerLength() {
        return dataOffset() << 2;
    }

    /** The 9 flag bits. */
    public int flags() {
        return Bytes.u16(seg, off + 12) & 0x1ff;
    }

    public boolean hasFlags(int mask) {
        return (flags() & mask) == mask;
    }

    public int window() {
        return Bytes.u16(seg, off + 14);
    }

    public int checksum() {
        return Bytes.u16(seg, off + CHECKSUM);
    }

    public int urgentPointer() {
        return Bytes.u16(seg, off + 18);
    }

    public TcpView sport(int v) {
        Bytes.setU16(seg, off, v);
        return this;
    }

    public TcpView dport(int v) {
        Bytes.setU16(seg, off + 2, v);
        return this;
    }

    public TcpView seq(int v) {
        Bytes.setU32(seg, off + 4, v);
        return this;
    }

    public TcpView ack(int v) {
        Bytes.setU32(seg, off + 8, v);
        return this;
    }

    /** Sets the data offset (words), keeping the reserved and flag bits. */
    public TcpView dataOffset(int words) {
        Bytes.setU8(seg, off + 12, (Bytes.u8(seg, off + 12) & 0x0f) | ((words & 0x0f) << 4));
        return this;
    }

    /** Sets the 9 flag bits, keeping the data offset and reserved bits. */
    public TcpView flags(int v) {
        Bytes.setU16(seg, off + 12, (Bytes.u16(seg, off + 12) & 0xfe00) | (v & 0x1ff));
        return this;
    }

    public TcpView window(int v) {
        Bytes.setU16(seg, off + 14, v);
        return this;
    }

    public TcpView checksum(int v) {
        Bytes.setU16(seg, off + CHECKSUM, v);
        return this;
    }

    public TcpView urgentPointer(int v) {
        Bytes.setU16(seg, off + 18, v);
        return this;
    }

    /**
     * Offset, relative to the start of this TCP header, of the first option of the given kind (its kind
     * byte), or -1. Walks the options between byte 20 and the data offset (bounded also by the end of
     * the segment); stops at End-of-Option-List, a length below 2 or an option running past the header.
     * Never throws and never allocates. Kinds 0 and 1 (EOL, NOP) are single bytes and are found too.
     */
    public int optionOffset(int kind) {
        long avail = seg.byteSize() - off;
        int end = (int) Math.min(headerLength(), Math.max(0, avail));
        int p = MIN_HEADER_LEN;
        while (p < end) {
            int k = Bytes.u8(seg, off + p);
            if (k == kind) {
                if (k <= OPT_NOP || p + 2 <= end && Bytes.u8(seg, off + p + 1) >= 2
                        && p + Bytes.u8(seg, off + p + 1) <= end) {
                    return p;
                }
                return -1;
            }
            if (k == OPT_EOL) {
                return -1;
            }
            if (k == OPT_NOP) {
                p++;
                continue;
            }
            if (p + 2 > end) {
                return -1;
            }
            int len = Bytes.u8(seg, off + p + 1);
            if (len < 2) {
                return -1;
            }
            p += len;
        }
        return -1;
    }

    /** The MSS option's value (kind 2, length 4), or -1 if none. */
    public int mss() {
        int p = optionOffset(OPT_MSS);
        if (p < 0 || Bytes.u8(seg, off + p + 1) != 4) {
            return -1;
        }
        return Bytes.u16(seg, off + p + 2);
    }
}
