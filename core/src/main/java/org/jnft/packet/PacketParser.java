package org.jnft.packet;

import java.lang.foreign.MemorySegment;

/**
 * The validating frame parser of the data plane: Ethernet, up to two VLAN tags, then ARP, IPv4 (with
 * the checks of Linux's {@code ip_rcv_core}) or IPv6 (the length checks of {@code ip6_rcv_core} and a
 * walk over the extension headers to the upper layer), then the position of the upper-layer header.
 *
 * <p>Every length is checked before it is used, so {@link #parse} reads only bytes below
 * {@code min(length, frame.byteSize())}, never throws, and never allocates. It verifies the IPv4 header
 * checksum but no upper-layer checksum (a router forwards those untouched).
 *
 * <p>Order of the IPv4 checks, as in ip_rcv_core: at least 20 bytes, version 4 and IHL &gt;= 5, IHL*4
 * bytes present ({@code IP_INHDR}); header checksum ({@code IP_CSUM}); total length &lt;= bytes present
 * ({@code PKT_TOO_SMALL}); total length &gt;= IHL*4 ({@code IP_INHDR}). IPv6: at least 40 bytes
 * ({@code IP_INHDR}), version 6 ({@code UNHANDLED_PROTO}, what current kernels count), 40 + payload
 * length &lt;= bytes present ({@code PKT_TOO_SMALL}), then the extension headers ({@code IP_INHDR} when
 * one is truncated). Address checks (martians, loopback, multicast scope) are the pipeline's.
 */
public final class PacketParser {
    /** Most IPv6 extension headers walked before the packet is rejected with IP_INHDR. */
    public static final int MAX_EXT_HEADERS = 32;
    /** Most VLAN tags looked through; a third tag is left as the EtherType (an unknown protocol). */
    public static final int MAX_VLAN_TAGS = 2;

    private PacketParser() {
    }

    /**
     * Parses the frame in bytes {@code [0, length)} of {@code frame} into {@code out} (cleared first) and
     * returns {@code out.status}. A {@code length} beyond the segment is clipped to it; a negative one is
     * PKT_TOO_SMALL.
     */
    public static int parse(MemorySegment frame, int length, PacketInfo out) {
        return parse(frame, 0, length, out);
    }

    /**
     * Parses the frame at {@code [offset, offset + length)} of {@code seg} (e.g. a {@link PacketBuffer}'s
     * segment and offset); the offsets in {@code out} are then absolute in {@code seg}, and
     * {@code out.length} is {@code length}. Bytes outside the range are never read.
     */
    public static int parse(MemorySegment seg, int offset, int length, PacketInfo out) {
        out.clear();
        out.length = length;
        long limit = Math.min((long) offset + length, seg.byteSize());
        if (offset < 0 || length < 0 || limit - offset < EthernetView.HEADER_LEN) {
            return out.status = ParseStatus.PKT_TOO_SMALL;
        }
        return out.status = parseEthernet(seg, offset, (int) limit, out);
    }

    private static int parseEthernet(MemorySegment s, int base, int end, PacketInfo out) {
        int et = Bytes.u16(s, base + EthernetView.ETHER_TYPE);
        int p = base + EthernetView.HEADER_LEN;
        while (EtherType.isVlan(et) && out.vlanCount < MAX_VLAN_TAGS) {
            if (p + VlanView.TAG_LEN > end) {
                return ParseStatus.PKT_TOO_SMALL;
            }
            int tci = Bytes.u16(s, p);
            if (out.vlanCount == 0) {
                out.vlanTci0 = tci;
                out.vlanTpid0 = et;
            } else {
                out.vlanTci1 = tci;
            }
            out.vlanCount++;
            et = Bytes.u16(s, p + 2);
            p += VlanView.TAG_LEN;
        }
        out.etherType = et;
        out.l3Proto = et;
        out.l3Offset = p;
        int avail = end - p;
        switch (et) {
            case EtherType.IPV4:
                return parseIpv4(s, p, avail, out);
            case EtherType.IPV6:
                return parseIpv6(s, p, avail, out);
            case EtherType.ARP:
                if (avail < ArpView.LEN) {
                    return ParseStatus.PKT_TOO_SMALL;
                }
                out.l3Length = ArpView.LEN;
                return ParseStatus.OK;
            default:
                out.l3Length = avail;
                return ParseStatus.OK;
        }
    }

    private static int parseIpv4(MemorySegment s, int p, int avail, PacketInfo out) {
        if (avail < Ipv4View.MIN_HEADER_LEN) {
            return ParseStatus.IP_INHDR;
        }
        int b0 = Bytes.u8(s, p);
        int ihl = b0 & 0x0f;
        if (ihl < 5 || (b0 >>> 4) != 4) {
            return ParseStatus.IP_INHDR;
        }
        int hl = ihl << 2;
        if (avail < hl) {
            return ParseStatus.IP_INHDR;
        }
        if (Checksum.fold(Checksum.sum(s, p, hl, 0)) != 0xffff) {
            return ParseStatus.IP_CSUM;
        }
        int tot = Bytes.u16(s, p + 2);
        if (tot > avail) {
            return ParseStatus.PKT_TOO_SMALL;
        }
        if (tot < hl) {
            return ParseStatus.IP_INHDR;
        }
        out.l3Length = tot;
        out.ipv4Options = ihl > 5;
        int proto = Bytes.u8(s, p + 9);
        out.ipProto = proto;
        int frag = Bytes.u16(s, p + 6);
        int fragOff = (frag & Ipv4View.OFFSET_MASK) << 3;
        boolean mf = (frag & Ipv4View.FLAG_MF) != 0;
        if (mf || fragOff != 0) {
            out.fragment = true;
            out.fragOffset = fragOff;
            out.moreFragments = mf;
            out.firstFragment = fragOff == 0;
            if (fragOff != 0) {
                return ParseStatus.OK;
            }
        }
        out.l4Offset = p + hl;
        out.l4Proto = proto;
        out.l4Length = tot - hl;
        return checkL4(s, out, IpProto.ICMP);
    }

    private static int parseIpv6(MemorySegment s, int p, int avail, PacketInfo out) {
        if (avail < Ipv6View.HEADER_LEN) {
            return ParseStatus.IP_INHDR;
        }
        if ((Bytes.u8(s, p) >>> 4) != 6) {
            return ParseStatus.UNHANDLED_PROTO;
        }
        int plen = Bytes.u16(s, p + 4);
        int nh = Bytes.u8(s, p + 6);
        if (plen == 0 && nh == IpProto.HOPOPTS) {
            return ParseStatus.IP_INHDR; // a jumbogram; cannot occur within a 64 KiB frame
        }
        if (Ipv6View.HEADER_LEN + plen > avail) {
            return ParseStatus.PKT_TOO_SMALL;
        }
        int end = p + Ipv6View.HEADER_LEN + plen;
        out.l3Length = Ipv6View.HEADER_LEN + plen;
        int q = p + Ipv6View.HEADER_LEN;
        int count = 0;
        while (IpProto.isIpv6ExtensionHeader(nh)) {
            out.ipv6ExtHeaders = true;
            if (++count > MAX_EXT_HEADERS || q + 8 > end) {
                return ParseStatus.IP_INHDR;
            }
            int next = Bytes.u8(s, q);
            int hl;
            if (nh == IpProto.FRAGMENT) {
                hl = 8;
                if (out.ipv6FragHeaderOffset < 0) {
                    out.ipv6FragHeaderOffset = q;
                }
                int fo = Bytes.u16(s, q + 2);
                int fragOff = fo & 0xfff8;
                boolean mf = (fo & 1) != 0;
                if (fragOff != 0 || mf) {
                    out.fragment = true;
                    out.fragOffset = fragOff;
                    out.moreFragments = mf;
                    out.firstFragment = fragOff == 0;
                    if (fragOff != 0) {
                        out.ipProto = next;
                        return ParseStatus.OK;
                    }
                }
            } else if (nh == IpProto.AH) {
                hl = (Bytes.u8(s, q + 1) + 2) << 2;
            } else {
                hl = (Bytes.u8(s, q + 1) + 1) << 3;
            }
            if (q + hl > end) {
                return ParseStatus.IP_INHDR;
            }
            nh = next;
            q += hl;
        }
        out.ipProto = nh;
        out.l4Offset = q;
        out.l4Proto = nh;
        out.l4Length = end - q;
        return checkL4(s, out, IpProto.ICMPV6);
    }

    /** Checks the upper-layer header fits; {@code icmp} is the ICMP flavour of the family. */
    private static int checkL4(MemorySegment s, PacketInfo out, int icmp) {
        int proto = out.l4Proto;
        int need;
        if (proto == IpProto.TCP) {
            need = TcpView.MIN_HEADER_LEN;
        } else if (proto == IpProto.UDP || proto == IpProto.UDPLITE || proto == icmp) {
            need = 8;
        } else {
            out.l4Complete = true;
            return ParseStatus.OK;
        }
        boolean complete = out.l4Length >= need;
        if (complete && proto == IpProto.TCP) {
            int doff = Bytes.u8(s, out.l4Offset + 12) >>> 4;
            complete = doff >= 5 && (doff << 2) <= out.l4Length;
        }
        out.l4Complete = complete;
        return complete || out.fragment ? ParseStatus.OK : ParseStatus.L4_TRUNCATED;
    }
}
