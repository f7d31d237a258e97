package org.jnft.io.linux;

import java.lang.foreign.MemorySegment;

import org.jnft.packet.Bytes;
import org.jnft.packet.Checksum;
import org.jnft.packet.PacketBuffer;

/**
 * Software segmentation of a GSO/GRO super-frame into the frames it stands for, as the kernel's
 * tcp_gso_segment / __udp_gso_segment would cut it: each segment gets the headers, {@code gsoSize} bytes of
 * payload, its own IPv4 total length, id (+1 per segment) and header checksum or IPv6 payload length, TCP
 * sequence number (FIN and PSH only on the last segment, CWR only on the first) or UDP length, and a
 * complete L4 checksum. A plain frame whose L4 checksum is partial ({@link VnetHeader#NEEDS_CSUM}) is
 * copied and completed. The router downstream thus sees wire frames with final checksums, and applies its
 * MTU checks (and ICMP errors) per segment as Linux checks a GSO packet's segments. Allocates nothing.
 */
public final class GsoSegmenter {
    /** Receives each segment (or the single frame) in {@code out}; the buffer is reused for the next one. */
    @FunctionalInterface
    public interface Sink {
        void segment(PacketBuffer out);
    }

    private static final int TCP = 6, UDP = 17;
    private static final int FIN = 0x01, PSH = 0x08, CWR = 0x80;

    private long unsegmentable;

    /**
     * Hands {@code f} to {@code sink} as wire frames, through {@code out}: the segments of a GSO frame, or the
     * frame itself (its partial checksum completed). Returns the number of frames handed over; 0 when a GSO
     * frame's headers do not make sense (counted in {@link #unsegmentable()}).
     */
    public int deliver(RxFrame f, PacketBuffer out, Sink sink) {
        VnetHeader v = f.vnet;
        if (!v.isGso()) {
            out.load(f.segment, f.offset, f.length);
            if (v.needsChecksum()) {
                completeChecksum(out.segment(), out.offset(), out.length(), v.csumStart, v.csumOffset);
            }
            sink.segment(out);
            return 1;
        }
        int n = segment(f.segment, f.offset, f.length, v, out, sink);
        if (n == 0) {
            unsegmentable++;
        }
        return n;
    }

    /** GSO frames whose headers did not allow segmentation (dropped). */
    public long unsegmentable() {
        return unsegmentable;
    }

    private static void completeChecksum(MemorySegment s, long frame, int length, int start, int offset) {
        if (start >= length || start + offset + 2 > length) {
            return;
        }
        int c = Checksum.finish(Checksum.sum(s, frame + start, length - start, 0));
        Bytes.setU16(s, frame + start + offset, c == 0 && offset == 6 ? 0xffff : c);
    }

    private static int segment(MemorySegment s, long f, int len, VnetHeader v, PacketBuffer out, Sink sink) {
        int type = v.gsoType & ~VnetHeader.GSO_ECN;
        int mss = v.gsoSize;
        int l3 = 14;
        int ethType = Bytes.u16(s, f + 12);
        if (ethType == 0x8100 || ethType == 0x88a8) {
            l3 = 18;
            ethType = Bytes.u16(s, f + 16);
        }
        boolean v4 = ethType == 0x0800;
        if (!v4 && ethType != 0x86dd) {
            return 0;
        }
        int l4 = v.csumStart; // the L4 header (extension headers already skipped by the sender)
        if (mss <= 0 || l4 < l3 + (v4 ? 20 : 40) || l4 + 8 > len) {
            return 0;
        }
        int proto;
        int l4hdr;
        if (type == VnetHeader.GSO_TCPV4 || type == VnetHeader.GSO_TCPV6) {
            proto = TCP;
            l4hdr = (Bytes.u8(s, f + l4 + 12) >>> 4) * 4;
            if (l4hdr < 20) {
                return 0;
            }
        } else if (type == VnetHeader.GSO_UDP_L4) {
            proto = UDP;
            l4hdr = 8;
        } else {
            return 0;
        }
        int hdr = l4 + l4hdr;
        if (hdr > len || (v4 && Bytes.u8(s, f + l3 + 9) != proto)) {
            return 0;
        }
        int payload = len - hdr;
        int id = v4 ? Bytes.u16(s, f + l3 + 4) : 0;
        long seq = proto == TCP ? Bytes.u32(s, f + l4 + 4) & 0xffffffffL : 0;
        int flags = proto == TCP ? Bytes.u8(s, f + l4 + 13) : 0;
        int count = 0;
        for (int off = 0; ; off += mss) {
            int chunk = Math.min(mss, payload - off);
            boolean last = off + chunk >= payload;
            out.load(s, f, hdr);
            MemorySegment o = out.segment();
            long b = out.offset();
            MemorySegment.copy(s, f + hdr + off, o, b + hdr, chunk);
            out.length(hdr + chunk);
            int l4len = hdr - l4 + chunk;
            long pseudo;
            if (v4) {
                Bytes.setU16(o, b + l3 + 2, hdr - l3 + chunk);
                Bytes.setU16(o, b + l3 + 4, (id + count) & 0xffff);
                Bytes.setU16(o, b + l3 + 10, 0);
                int ihl = (Bytes.u8(o, b + l3) & 0xf) * 4;
                Bytes.setU16(o, b + l3 + 10, Checksum.finish(Checksum.sum(o, b + l3, ihl, 0)));
                pseudo = Checksum.pseudoV4(Bytes.u32(o, b + l3 + 12), Bytes.u32(o, b + l3 + 16), proto, l4len);
            } else {
                Bytes.setU16(o, b + l3 + 4, hdr - l3 - 40 + chunk);
                pseudo = Checksum.pseudoV6(Bytes.u64(o, b + l3 + 8), Bytes.u64(o, b + l3 + 16),
                        Bytes.u64(o, b + l3 + 24), Bytes.u64(o, b + l3 + 32), proto, l4len);
            }
            int csumAt;
            if (proto == TCP) {
                Bytes.setU32(o, b + l4 + 4, (int) (seq + off));
                int fl = flags;
                if (!last) {
                    fl &= ~(FIN | PSH);
                }
                if (count > 0) {
                    fl &= ~CWR;
                }
                Bytes.setU8(o, b + l4 + 13, fl);
                csumAt = 16;
            } else {
                Bytes.setU16(o, b + l4 + 4, l4len);
                csumAt = 6;
            }
            Bytes.setU16(o, b + l4 + csumAt, 0);
            int c = Checksum.finish(Checksum.sum(o, b + l4, l4len, pseudo));
            Bytes.setU16(o, b + l4 + csumAt, c == 0 && proto == UDP ? 0xffff : c);
            count++;
            sink.segment(out);
            if (last) {
                break;
            }
        }
        return count;
    }
}
