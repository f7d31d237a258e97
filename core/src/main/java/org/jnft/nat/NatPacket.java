package org.jnft.nat;

import static org.jnft.conntrack.CtConst.*;

import java.lang.foreign.MemorySegment;
import org.jnft.conntrack.CtEntry;
import org.jnft.conntrack.CtTuple;
import org.jnft.packet.Bytes;
import org.jnft.packet.Checksum;
import org.jnft.packet.IpProto;
import org.jnft.packet.PacketInfo;

/**
 * The packet half of nf_nat: {@code nf_nat_packet}, {@code nf_nat_manip_pkt} (nf_nat_ipv4/ipv6_manip_pkt
 * and the TCP/UDP/UDP-Lite/ICMP/ICMPv6 manipulators of nf_nat_proto.c) and
 * {@code nf_nat_icmp_reply_translation} / {@code nf_nat_icmpv6_reply_translation}. Static, no state, no
 * allocation. The packet is rewritten in place; its length never changes, so a {@link PacketInfo} stays
 * valid. Methods return false where Linux returns NF_DROP (a header too short to rewrite, a bad ICMP error
 * checksum, an ICMP redirect for a NATed entry).
 *
 * <p>Checksums are updated incrementally as Linux does (RFC 1624 eq. 3): the IPv4 header checksum for the
 * address; TCP, UDP and UDP-Lite for the pseudo-header address and the port; a zero UDP checksum (IPv4 "no
 * checksum") is left zero and a result of zero is stored as 0xffff (CSUM_MANGLED_0); ICMP for the echo id;
 * ICMPv6 for the pseudo-header and the echo id. A TCP header inside an ICMP error of which fewer than 20
 * bytes are present has its port rewritten but not its checksum, as Linux. The ICMP/ICMPv6 checksum of an
 * error whose inner packet was translated is recomputed over the whole message, as Linux does.
 * Non-first fragments get the address rewrite only. ICMP ids are rewritten only in the query types (echo,
 * timestamp, information, address mask and their replies): the same bytes of an error carry the unused
 * word or the next-hop MTU, which Linux's current icmp_manip_pkt leaves alone too (older kernels wrote the
 * id there).
 */
public final class NatPacket {
    private NatPacket() {
    }

    private static final int ICMP_REDIRECT = 5;
    private static final int NDISC_REDIRECT = 137;

    /** HOOK2MANIP, see {@link NatCore#hookIsSrcManip}. */
    static boolean srcManip(int hook) {
        return NatCore.hookIsSrcManip(hook);
    }

    /**
     * nf_nat_packet: rewrites the packet for the hook's manipulation type when the entry carries the
     * matching NAT bit for the packet's direction (SRC_NAT for source manipulation in the original
     * direction, DST_NAT in the reply direction, and conversely).
     */
    public static boolean packet(MemorySegment seg, PacketInfo pi, CtEntry e, int ctinfo, int hook) {
        boolean src = srcManip(hook);
        int dir = dir(ctinfo);
        if ((e.status & statusBit(src, dir)) == 0) {
            return true;
        }
        return manip(seg, pi, e, dir, src);
    }

    private static int statusBit(boolean src, int dir) {
        int bit = src ? IPS_SRC_NAT : IPS_DST_NAT;
        if (dir == DIR_REPLY) {
            bit ^= IPS_NAT_MASK;
        }
        return bit;
    }

    /**
     * nf_nat_manip_pkt: makes a packet of direction {@code dir} look like the inverse of the other
     * direction's tuple, on the source side ({@code srcManip}) or the destination side.
     */
    public static boolean manip(MemorySegment seg, PacketInfo pi, CtEntry e, int dir, boolean srcManip) {
        CtTuple o = e.tuple(dir == DIR_ORIGINAL ? DIR_REPLY : DIR_ORIGINAL);
        // target = invert(other): source side takes the other's destination, and conversely; ICMP id is
        // the other's srcPort either way
        long hi = srcManip ? o.dstHi : o.srcHi;
        long lo = srcManip ? o.dstLo : o.srcLo;
        int port = srcManip ? o.dstPort : o.srcPort;
        int end = pi.l3Offset + pi.l3Length;
        if (pi.isIpv4()) {
            return manipV4(seg, pi.l3Offset, end, pi.l4Offset, srcManip, (int) lo, port, o.srcPort);
        }
        if (pi.isIpv6()) {
            return manipV6(seg, pi.l3Offset, end, pi.l4Offset, pi.l4Proto, srcManip, hi, lo, port, o.srcPort);
        }
        return true;
    }

    /**
     * nf_nat_ipv4_fn's and nf_nat_ipv6_fn's first step: for a RELATED / RELATED_REPLY packet that is an
     * ICMP (ICMPv6) message, translate it here and do nothing else for it at this hook. Returns
     * {@link #NOT_ICMP_ERROR} when the packet is not such a message (go on with the nat chain / null binding
     * / {@link #packet}), otherwise {@link #ACCEPT} or {@link #DROP}.
     */
    public static int relatedIcmp(MemorySegment seg, PacketInfo pi, CtEntry e, int ctinfo, int hook) {
        if (ctinfo != IP_CT_RELATED && ctinfo != IP_CT_RELATED_REPLY) {
            return NOT_ICMP_ERROR;
        }
        if (pi.isIpv4() && pi.ipProto == IpProto.ICMP || pi.isIpv6() && pi.l4Proto == IpProto.ICMPV6) {
            return icmpReplyTranslation(seg, pi, e, ctinfo, hook) ? ACCEPT : DROP;
        }
        return NOT_ICMP_ERROR;
    }

    public static final int NOT_ICMP_ERROR = -1;
    public static final int DROP = 0;
    public static final int ACCEPT = 1;

    /**
     * nf_nat_icmp_reply_translation / nf_nat_icmpv6_reply_translation: an ICMP error about a translated
     * connection: the packet inside is rewritten as the inverse manipulation of the other direction's
     * tuple (so the inside host sees its own packet), the ICMP checksum recomputed, then the outer header
     * translated as {@link #manip}. False (drop) for a bad checksum, a truncated message, or a redirect
     * about a NATed entry.
     */
    public static boolean icmpReplyTranslation(MemorySegment seg, PacketInfo pi, CtEntry e, int ctinfo, int hook) {
        boolean src = srcManip(hook);
        int dir = dir(ctinfo);
        int l4 = pi.l4Offset;
        int end = pi.l3Offset + pi.l3Length;
        boolean v4 = pi.isIpv4();
        int innerMin = v4 ? 20 : 40;
        if (l4 < 0 || end < l4 + 8 + innerMin) {
            return false;
        }
        int l4len = end - l4;
        if (v4) {
            if (Checksum.fold(Checksum.sum(seg, l4, l4len, 0)) != 0xffff) {
                return false;
            }
        } else if (!Checksum.l4ValidV6(seg, l4, l4len, Bytes.u64(seg, pi.l3Offset + 8),
                Bytes.u64(seg, pi.l3Offset + 16), Bytes.u64(seg, pi.l3Offset + 24),
                Bytes.u64(seg, pi.l3Offset + 32), IpProto.ICMPV6)) {
            return false;
        }
        int type = Bytes.u8(seg, l4);
        if (type == (v4 ? ICMP_REDIRECT : NDISC_REDIRECT)) {
            if ((e.status & (IPS_SRC_NAT_DONE | IPS_DST_NAT_DONE)) != (IPS_SRC_NAT_DONE | IPS_DST_NAT_DONE)) {
                return false;
            }
            if ((e.status & IPS_NAT_MASK) != 0) {
                return false;
            }
        }
        if ((e.status & statusBit(src, dir)) == 0) {
            return true;
        }
        CtTuple o = e.tuple(dir == DIR_ORIGINAL ? DIR_REPLY : DIR_ORIGINAL);
        // inner: the other direction's tuple itself, with the opposite manipulation
        boolean innerSrc = !src;
        long ih = innerSrc ? o.srcHi : o.dstHi;
        long il = innerSrc ? o.srcLo : o.dstLo;
        int iport = innerSrc ? o.srcPort : o.dstPort;
        int inner = l4 + 8;
        if (v4) {
            if (!manipV4(seg, inner, end, -2, innerSrc, (int) il, iport, o.srcPort)) {
                return false;
            }
            Bytes.setU16(seg, l4 + 2, 0);
            Bytes.setU16(seg, l4 + 2, Checksum.finish(Checksum.sum(seg, l4, l4len, 0)));
        } else {
            if (!manipV6(seg, inner, end, -2, -1, innerSrc, ih, il, iport, o.srcPort)) {
                return false;
            }
            int c = Checksum.l4ChecksumV6(seg, l4, l4len, Bytes.u64(seg, pi.l3Offset + 8),
                    Bytes.u64(seg, pi.l3Offset + 16), Bytes.u64(seg, pi.l3Offset + 24),
                    Bytes.u64(seg, pi.l3Offset + 32), IpProto.ICMPV6);
            Bytes.setU16(seg, l4 + 2, c);
        }
        // outer: invert(other), l4 part left alone (an error type: only ICMPv6's pseudo-header changes)
        long oh = src ? o.dstHi : o.srcHi;
        long ol = src ? o.dstLo : o.srcLo;
        if (v4) {
            return manipV4(seg, pi.l3Offset, end, l4, src, (int) ol, 0, 0);
        }
        return manipV6(seg, pi.l3Offset, end, l4, IpProto.ICMPV6, src, oh, ol, 0, 0);
    }

    // ================================================================ IPv4

    /**
     * nf_nat_ipv4_manip_pkt. {@code l4} is the upper-layer offset (-1: none, a non-first fragment; -2:
     * compute from the header, for the packet inside an ICMP error).
     */
    static boolean manipV4(MemorySegment seg, int iph, int end, int l4, boolean src, int addr, int port, int id) {
        if (end < iph + 20) {
            return false;
        }
        int addrOff = iph + (src ? 12 : 16);
        int old = Bytes.u32(seg, addrOff);
        if ((Bytes.u16(seg, iph + 6) & 0x1fff) == 0) {
            if (l4 == -2) {
                l4 = iph + (Bytes.u8(seg, iph) & 0x0f) * 4;
            }
            if (l4 >= 0) {
                int proto = Bytes.u8(seg, iph + 9);
                if (!l4Manip(seg, l4, end, proto, src, false, old, addr, 0, 0, 0, 0, port, id)) {
                    return false;
                }
            }
        }
        if (old != addr) {
            Bytes.setU16(seg, iph + 10, Checksum.update32(Bytes.u16(seg, iph + 10), old, addr));
            Bytes.setU32(seg, addrOff, addr);
        }
        return true;
    }

    // ================================================================ IPv6

    /**
     * nf_nat_ipv6_manip_pkt. {@code l4} as in {@link #manipV4}; with -2 the extension headers are walked
     * (ipv6_skip_exthdr) and a non-first fragment gets no l4 manipulation.
     */
    static boolean manipV6(MemorySegment seg, int iph, int end, int l4, int proto, boolean src, long hi, long lo,
                           int port, int id) {
        if (end < iph + 40) {
            return false;
        }
        if (l4 == -2) {
            long r = skipExt(seg, iph, end);
            if (r < 0) {
                l4 = -1;
            } else {
                l4 = (int) r;
                proto = (int) (r >>> 32);
            }
        }
        int addrOff = iph + (src ? 8 : 24);
        long oh = Bytes.u64(seg, addrOff);
        long ol = Bytes.u64(seg, addrOff + 8);
        if (l4 >= 0 && !l4Manip(seg, l4, end, proto, src, true, 0, 0, oh, ol, hi, lo, port, id)) {
            return false;
        }
        Bytes.setU64(seg, addrOff, hi);
        Bytes.setU64(seg, addrOff + 8, lo);
        return true;
    }

    /**
     * ipv6_skip_exthdr from the IPv6 header at {@code iph}: {@code proto << 32 | offset} of the upper-layer
     * header, or -1 for a non-first fragment or a truncated chain.
     */
    static long skipExt(MemorySegment seg, int iph, int end) {
        int nh = Bytes.u8(seg, iph + 6);
        int off = iph + 40;
        for (int n = 0; n < 16; n++) {
            switch (nh) {
                case 0, 43, 60 -> { // hop-by-hop, routing, destination options
                    if (end < off + 8) {
                        return -1;
                    }
                    int next = Bytes.u8(seg, off);
                    off += (Bytes.u8(seg, off + 1) + 1) * 8;
                    nh = next;
                }
                case 44 -> { // fragment
                    if (end < off + 8) {
                        return -1;
                    }
                    if ((Bytes.u16(seg, off + 2) & 0xfff8) != 0) {
                        return -1;
                    }
                    nh = Bytes.u8(seg, off);
                    off += 8;
                }
                case 51 -> { // AH
                    if (end < off + 8) {
                        return -1;
                    }
                    int next = Bytes.u8(seg, off);
                    off += (Bytes.u8(seg, off + 1) + 2) * 4;
                    nh = next;
                }
                default -> {
                    return (long) nh << 32 | off;
                }
            }
        }
        return -1;
    }

    // ================================================================ l4 (nf_nat_proto.c)

    private static int dir(int ctinfo) {
        return ctinfo >= IP_CT_IS_REPLY ? DIR_REPLY : DIR_ORIGINAL;
    }

    /** The upper-layer manipulation, before the address is rewritten (old address still in the header). */
    private static boolean l4Manip(MemorySegment seg, int l4, int end, int proto, boolean src, boolean v6,
                                   int old4, int new4, long oldHi, long oldLo, long newHi, long newLo,
                                   int port, int id) {
        switch (proto) {
            case IpProto.TCP -> {
                if (end < l4 + 8) {
                    return false;
                }
                int portOff = l4 + (src ? 0 : 2);
                int oldPort = Bytes.u16(seg, portOff);
                Bytes.setU16(seg, portOff, port);
                if (end < l4 + 20) {
                    return true; // inside an ICMP error: the checksum is not in the 8 bytes we have
                }
                int c = Bytes.u16(seg, l4 + 16);
                c = v6 ? Checksum.update128(c, oldHi, oldLo, newHi, newLo) : Checksum.update32(c, old4, new4);
                c = Checksum.update16(c, oldPort, port);
                Bytes.setU16(seg, l4 + 16, c);
                return true;
            }
            case IpProto.UDP, IpProto.UDPLITE -> {
                if (end < l4 + 8) {
                    return false;
                }
                int portOff = l4 + (src ? 0 : 2);
                int oldPort = Bytes.u16(seg, portOff);
                int c = Bytes.u16(seg, l4 + 6);
                if (c != 0 || proto == IpProto.UDPLITE) {
                    c = v6 ? Checksum.update128(c, oldHi, oldLo, newHi, newLo) : Checksum.update32(c, old4, new4);
                    c = Checksum.update16(c, oldPort, port);
                    Bytes.setU16(seg, l4 + 6, c == 0 ? 0xffff : c);
                }
                Bytes.setU16(seg, portOff, port);
                return true;
            }
            case IpProto.ICMP -> {
                if (v6) {
                    return true;
                }
                if (end < l4 + 8) {
                    return false;
                }
                switch (Bytes.u8(seg, l4)) {
                    case 0, 8, 13, 14, 15, 16, 17, 18 -> {
                        int oldId = Bytes.u16(seg, l4 + 4);
                        Bytes.setU16(seg, l4 + 2, Checksum.update16(Bytes.u16(seg, l4 + 2), oldId, id));
                        Bytes.setU16(seg, l4 + 4, id);
                    }
                    default -> {
                    }
                }
                return true;
            }
            case IpProto.ICMPV6 -> {
                if (!v6) {
                    return true;
                }
                if (end < l4 + 8) {
                    return false;
                }
                int c = Checksum.update128(Bytes.u16(seg, l4 + 2), oldHi, oldLo, newHi, newLo);
                int type = Bytes.u8(seg, l4);
                if (type == 128 || type == 129) {
                    int oldId = Bytes.u16(seg, l4 + 4);
                    c = Checksum.update16(c, oldId, id);
                    Bytes.setU16(seg, l4 + 4, id);
                }
                Bytes.setU16(seg, l4 + 2, c);
                return true;
            }
            case SCTP -> {
                // sctp_manip_pkt: the port, then CRC32c over the whole packet when all of its header is here
                if (end < l4 + 8) {
                    return false;
                }
                Bytes.setU16(seg, l4 + (src ? 0 : 2), port);
                if (end < l4 + 12) {
                    return true;
                }
                Bytes.setU32(seg, l4 + 8, 0);
                int crc = crc32c(seg, l4, end - l4);
                Bytes.setU32(seg, l4 + 8, Integer.reverseBytes(crc)); // stored little-endian (__le32)
                return true;
            }
            case DCCP -> {
                // dccp_manip_pkt: 8 bytes guaranteed; the checksum (offset 6) only with the 12-byte header
                if (end < l4 + 8) {
                    return false;
                }
                int portOff = l4 + (src ? 0 : 2);
                int oldPort = Bytes.u16(seg, portOff);
                Bytes.setU16(seg, portOff, port);
                if (end < l4 + 12) {
                    return true;
                }
                int c = Bytes.u16(seg, l4 + 6);
                c = v6 ? Checksum.update128(c, oldHi, oldLo, newHi, newLo) : Checksum.update32(c, old4, new4);
                c = Checksum.update16(c, oldPort, port);
                Bytes.setU16(seg, l4 + 6, c);
                return true;
            }
            default -> {
                return true;
            }
        }
    }

    private static final int SCTP = 132;
    private static final int DCCP = 33;
    private static final int[] CRC32C = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
            }
            CRC32C[i] = c;
        }
    }

    /** CRC32c (Castagnoli) of {@code len} bytes, as SCTP uses it: the final complemented value. */
    static int crc32c(MemorySegment seg, long off, int len) {
        int c = ~0;
        for (long p = off, e = off + len; p < e; p++) {
            c = CRC32C[(c ^ Bytes.u8(seg, p)) & 0xff] ^ (c >>> 8);
        }
        return ~c;
    }
}
