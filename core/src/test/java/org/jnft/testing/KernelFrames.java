package org.jnft.testing;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jnft.packet.Checksum;
import org.jnft.packet.IpProto;
import org.jnft.packet.Ipv4View;
import org.jnft.packet.Ipv6View;
import org.jnft.packet.PacketInfo;
import org.jnft.packet.PacketParser;

/** Frames from jnft and from kernel-replay made comparable: what Linux randomises masked, its MLD left out. */
public final class KernelFrames {
    private KernelFrames() {}

    /**
     * Hex of each frame with the randomised fields zeroed; Linux's MLD reports left out. TCP and UDP checksums
     * are zeroed too: Linux leaves the ones of segments it makes itself to the (virtual) NIC, so its capture
     * holds partial sums; ours are checked separately, and forwarded ones are the sender's anyway.
     */
    public static List<String> normalise(List<byte[]> frames) {
        List<String> out = new ArrayList<>();
        PacketInfo pi = new PacketInfo();
        for (byte[] f : frames) {
            byte[] c = f.clone();
            PacketParser.parse(MemorySegment.ofArray(c), 0, c.length, pi);
            if (pi.l4Offset >= 0 && !pi.fragment && (pi.l4Proto == IpProto.TCP || pi.l4Proto == IpProto.UDP)) {
                int at = pi.l4Offset + (pi.l4Proto == IpProto.TCP ? 16 : 6);
                if (at + 1 < c.length) {
                    c[at] = 0;
                    c[at + 1] = 0;
                }
            }
            int type = ((c[12] & 0xff) << 8) | (c[13] & 0xff);
            if (type == 0x0800 && c.length >= 34) {
                c[18] = 0;
                c[19] = 0;
                c[24] = 0;
                c[25] = 0;
            } else if (type == 0x86dd && c.length >= 54) {
                if (isMld(c)) {
                    continue;
                }
                c[15] &= (byte) 0xf0;
                c[16] = 0;
                c[17] = 0;
            }
            out.add(HexFormat.of().formatHex(c));
        }
        return out;
    }

    public static boolean checksumsValid(byte[] f) {
        PacketInfo pi = new PacketInfo();
        MemorySegment s = MemorySegment.ofArray(f);
        PacketParser.parse(s, 0, f.length, pi);
        if (pi.etherType == 0x0800 && !Checksum.ipv4HeaderValid(s, pi.l3Offset)) {
            return false;
        }
        if (pi.l4Offset < 0 || pi.fragment || pi.l4Length <= 0) {
            return true;
        }
        if (pi.etherType == 0x0800) {
            Ipv4View ip = new Ipv4View().wrap(s, pi.l3Offset);
            return pi.l4Proto == IpProto.ICMP
                    ? Checksum.fold(Checksum.sum(s, pi.l4Offset, pi.l4Length, 0)) == 0xffff
                    : Checksum.l4ValidV4(s, pi.l4Offset, pi.l4Length, ip.src(), ip.dst(), pi.l4Proto);
        }
        Ipv6View ip = new Ipv6View().wrap(s, pi.l3Offset);
        return Checksum.l4ValidV6(s, pi.l4Offset, pi.l4Length, ip.srcHi(), ip.srcLo(), ip.dstHi(), ip.dstLo(),
                pi.l4Proto);
    }

    private static boolean isMld(byte[] c) {
        int next = c[20] & 0xff;
        int off = 54;
        if (next == 0 && c.length > off + 8) { // hop-by-hop (router alert) before the MLD report
            next = c[off] & 0xff;
            off += ((c[off + 1] & 0xff) + 1) * 8;
        }
        return next == 58 && c.length > off && (c[off] & 0xff) == 143;
    }

}
