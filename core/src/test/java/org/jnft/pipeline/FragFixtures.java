package org.jnft.pipeline;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.jnft.packet.Bytes;
import org.jnft.packet.Checksum;
import org.jnft.packet.PacketBuffer;
import org.jnft.packet.PacketInfo;
import org.jnft.packet.PacketParser;

/** Builds fragments by hand (independently of the refragmenters) and feeds frames to the defragmenters. */
final class FragFixtures {
    static final int ETH = 14;
    static final long MAC_A = 0x0200_0000_0001L;
    static final long MAC_B = 0x0200_0000_0002L;

    private FragFixtures() {
    }

    /**
     * An IPv4 fragment of the unfragmented frame {@code frame} (Ethernet + IPv4): payload bytes
     * {@code [off, off + len)} of its IP payload, with MF {@code more} and DF {@code df}.
     */
    static byte[] v4(byte[] frame, int off, int len, boolean more, boolean df) {
        int ihl = (frame[ETH] & 0x0f) * 4;
        byte[] f = new byte[ETH + ihl + len];
        System.arraycopy(frame, 0, f, 0, ETH + ihl);
        System.arraycopy(frame, ETH + ihl + off, f, ETH + ihl, len);
        MemorySegment s = MemorySegment.ofArray(f);
        Bytes.setU16(s, ETH + 2, ihl + len);
        Bytes.setU16(s, ETH + 6, (df ? 0x4000 : 0) | (more ? 0x2000 : 0) | (off >> 3));
        Bytes.setU16(s, ETH + 10, 0);
        Bytes.setU16(s, ETH + 10, Checksum.finish(Checksum.sum(s, ETH, ihl, 0)));
        return f;
    }

    /** {@link #v4} with DF clear. */
    static byte[] v4(byte[] frame, int off, int len, boolean more) {
        return v4(frame, off, len, more, false);
    }

    /** Sets the TOS byte of an IPv4 frame (header checksum fixed). */
    static byte[] v4Tos(byte[] f, int tos) {
        MemorySegment s = MemorySegment.ofArray(f);
        int ihl = (f[ETH] & 0x0f) * 4;
        f[ETH + 1] = (byte) tos;
        Bytes.setU16(s, ETH + 10, 0);
        Bytes.setU16(s, ETH + 10, Checksum.finish(Checksum.sum(s, ETH, ihl, 0)));
        return f;
    }

    /**
     * An IPv6 fragment of the unfragmented frame {@code frame} (Ethernet + IPv6, whose first
     * {@code unfrag} bytes after the Ethernet header are the unfragmentable part, the next-header byte
     * to redirect at {@code nhPos} from the IPv6 header): bytes {@code [off, off + len)} of the
     * fragmentable part.
     */
    static byte[] v6(byte[] frame, int unfrag, int nhPos, int off, int len, boolean more, int id) {
        byte[] f = new byte[ETH + unfrag + 8 + len];
        System.arraycopy(frame, 0, f, 0, ETH + unfrag);
        int next = frame[ETH + nhPos] & 0xff;
        f[ETH + nhPos] = 44;
        MemorySegment s = MemorySegment.ofArray(f);
        int fh = ETH + unfrag;
        f[fh] = (byte) next;
        Bytes.setU16(s, fh + 2, off | (more ? 1 : 0));
        Bytes.setU32(s, fh + 4, id);
        System.arraycopy(frame, ETH + unfrag + off, f, fh + 8, len);
        Bytes.setU16(s, ETH + 4, unfrag - 40 + 8 + len);
        return f;
    }

    /** v6 with the unfragmentable part being the bare IPv6 header. */
    static byte[] v6(byte[] frame, int off, int len, boolean more, int id) {
        return v6(frame, 40, 6, off, len, more, id);
    }

    /** A receiver: parses frames into a buffer and hands them to a defragmenter. */
    static final class Feeder {
        final PacketBuffer in = new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY);
        final PacketBuffer out = new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY);
        final PacketInfo pi = new PacketInfo();
        final FragMeta meta = new FragMeta();
        final Ipv4Defrag v4;
        final Ipv6Defrag v6;
        int ifindex = 2;

        Feeder(Ipv4Defrag v4, Ipv6Defrag v6) {
            this.v4 = v4;
            this.v6 = v6;
        }

        int feed(byte[] frame, long now) {
            in.load(frame);
            in.ifindex = ifindex;
            in.timestamp = now;
            PacketParser.parse(in.segment(), in.offset(), in.length(), pi);
            if (pi.isIpv4()) {
                return v4.gather(in, pi, Ipv4Defrag.user(false, 0), now, out, meta);
            }
            return v6.gather(in, pi, Ipv6Defrag.user(false, 0), now, out, meta);
        }

        byte[] result() {
            return out.toArray();
        }
    }

    /** Collects emitted fragments as Ethernet frames with the given link header. */
    static final class Collector implements FragmentSink {
        final List<byte[]> frames = new ArrayList<>();
        final byte[] link;

        Collector(byte[] frame) {
            link = java.util.Arrays.copyOf(frame, ETH);
        }

        @Override
        public void emit(MemorySegment seg, long l3, int length) {
            byte[] f = new byte[ETH + length];
            System.arraycopy(link, 0, f, 0, ETH);
            MemorySegment.copy(seg, java.lang.foreign.ValueLayout.JAVA_BYTE, l3, f, ETH, length);
            frames.add(f);
        }
    }

    /** Counts DefragEvents. */
    static final class Events implements DefragEvents {
        int timeouts;
        int timeoutDrops;
        int tooFarDrops;
        byte[] lastHead;
        int lastUser;
        int lastIif;

        @Override
        public void fragmentsDropped(int ifindex, int reason, int count) {
            if (reason == DefragResult.TIMEOUT) {
                timeoutDrops += count;
            } else if (reason == DefragResult.TOO_FAR) {
                tooFarDrops += count;
            }
        }

        @Override
        public void reassemblyTimeout(int user, int iif, MemorySegment seg, long l3, int length) {
            timeouts++;
            lastUser = user;
            lastIif = iif;
            lastHead = new byte[length];
            MemorySegment.copy(seg, java.lang.foreign.ValueLayout.JAVA_BYTE, l3, lastHead, 0, length);
        }
    }
}
