package org.jnft.pipeline;

import java.lang.foreign.MemorySegment;
import org.jnft.packet.Bytes;
import org.jnft.packet.Checksum;
import org.jnft.packet.IcmpView;
import org.jnft.packet.Icmpv6View;
import org.jnft.packet.IpProto;
import org.jnft.packet.Ipv4View;
import org.jnft.packet.Ipv6View;
import org.jnft.packet.PacketBuffer;
import org.jnft.packet.TcpView;
import org.jnft.route.NetDevice;
import org.jnft.route.Route;
import org.jnft.vm.NftPacket;

/**
 * The replies of nft's {@code reject} (nft_reject_ipv4 / _ipv6 / _inet), as net/ipv4/netfilter/nf_reject_ipv4.c
 * and net/ipv6/netfilter/nf_reject_ipv6.c make them, for a packet a rule rejected at prerouting, input,
 * forward or output. The pipeline calls {@link #reject} after the hook's DROP verdict, outside the
 * interpreter (the reply itself runs through the output and postrouting hooks).
 *
 * <ul>
 *   <li>TCP reset (nf_send_reset / nf_send_reset6): none for non-first fragments, non-TCP packets, segments
 *       without a whole TCP header, RSTs, bad TCP checksums, broadcast or multicast destinations (IPv4 route
 *       flags; IPv6: either address not unicast), or when no unicast route leads back to the source. IPv4: TOS
 *       0, id 0, DF, TTL {@code ip_default_ttl}; IPv6: traffic class and flow label 0, hop limit
 *       {@code conf.all.hop_limit}. Source = the rejected packet's destination (any address, as
 *       ip_route_me_harder allows with FLOWI_FLAG_ANYSRC), routed to its source. A segment with ACK gets
 *       {@code seq = its ack}, RST; one without gets {@code ack = seq + SYN + FIN + payload}, RST+ACK; window 0.
 *       Checksums are complete (Linux leaves IPv4's to the NIC, a partial sum on veth).</li>
 *   <li>ICMP destination unreachable (nf_send_unreach -> icmp_send): none for non-first fragments or a failing
 *       upper-layer checksum (TCP/UDP with the pseudo header, a UDP checksum of 0 meaning none; other
 *       protocols: the plain sum of the payload, so ICMP is checked and most others fail; AH, ESP, SCTP,
 *       UDP-Lite, DCCP and GRE are not verified), then {@link Icmp4#sendError}'s rules (unicast
 *       only, no error about an error, rate limits). At prerouting the packet has no route yet and
 *       nf_reject_fill_skb_dst gives it the route back to its source, so the error's source address is chosen
 *       by that route even for a packet to one of the router's addresses; at input it is the packet's
 *       destination.</li>
 *   <li>ICMPv6 destination unreachable (nf_send_unreach6 -> icmpv6_send): reject6_csum_ok first (non-first
 *       fragments refused, the pseudo-header checksum of every protocol but the unverified ones), then
 *       {@link Icmp6#sendError}.</li>
 *   <li>icmpx codes map as nft_reject_icmp_code / nft_reject_icmpv6_code: no-route -> net-unreachable /
 *       no-route, port-unreachable -> port-unreachable (3 / 4), host-unreachable -> host-unreachable /
 *       address-unreachable, admin-prohibited -> communication-prohibited (13) / admin-prohibited (1).</li>
 * </ul>
 *
 * <p>Which packets get which reply was checked frame by frame against Linux 6.18 (NfRejectTest, through
 * kernel-replay). Packets the router made itself (output hook) get nothing on the wire: Linux delivers the
 * reply to the router's own address. The netdev and bridge families (nft_reject_netdev,
 * which answers straight out of the input device) are not handled: {@link #reject} returns false.
 */
public final class NfReject {
    /** NFT_REJECT_* types, as {@code vm.Reject} carries them. */
    public static final int ICMP_UNREACH = 0, TCP_RST = 1, ICMPX_UNREACH = 2;
    /** NFT_REJECT_ICMPX_* codes. */
    public static final int ICMPX_NO_ROUTE = 0, ICMPX_PORT_UNREACH = 1, ICMPX_HOST_UNREACH = 2,
            ICMPX_ADMIN_PROHIBITED = 3;

    private static final int IPPROTO_DCCP = 33;

    private final Router router;
    private final int ttl;
    private final int hopLimit;
    private final PacketBuffer scratch = new PacketBuffer(256);
    private final Ipv4View in4 = new Ipv4View();
    private final Ipv6View in6 = new Ipv6View();
    private final TcpView inTcp = new TcpView();
    private final Ipv4View ip4 = new Ipv4View();
    private final Ipv6View ip6 = new Ipv6View();
    private final TcpView tcp = new TcpView();
    private boolean busy;

    NfReject(Router router, Sysctl sysctl) {
        this.router = router;
        this.ttl = sysctl.getInt("net.ipv4.ip_default_ttl");
        this.hopLimit = sysctl.getInt("net.ipv6.conf.all.hop_limit");
    }

    /** nft_reject_icmp_code: the ICMP code of an icmpx code, -1 when there is none. */
    public static int icmpCode(int icmpx) {
        return switch (icmpx) {
            case ICMPX_NO_ROUTE -> 0;
            case ICMPX_PORT_UNREACH -> 3;
            case ICMPX_HOST_UNREACH -> 1;
            case ICMPX_ADMIN_PROHIBITED -> 13;
            default -> -1;
        };
    }

    /** nft_reject_icmpv6_code: the ICMPv6 code of an icmpx code, -1 when there is none. */
    public static int icmpv6Code(int icmpx) {
        return switch (icmpx) {
            case ICMPX_NO_ROUTE -> 0;
            case ICMPX_PORT_UNREACH -> 4;
            case ICMPX_HOST_UNREACH -> 3;
            case ICMPX_ADMIN_PROHIBITED -> 1;
            default -> -1;
        };
    }

    /**
     * Answers the packet {@code p} that a {@code reject type T code C} statement rejected at {@code p.hook}
     * (its DROP is the caller's). The family comes from the packet (inet chains see IPv4 and IPv6; ip and ip6
     * chains only theirs). Returns true when a reply was handed to the output path.
     */
    public boolean reject(NftPacket p, int type, int code) {
        if (busy || p.nfproto == NftPacket.NFPROTO_NETDEV || p.nfproto == NftPacket.NFPROTO_BRIDGE
                || p.networkOffset < 0) {
            return false;
        }
        int hook = p.hook;
        if (hook != NftPacket.HOOK_PREROUTING && hook != NftPacket.HOOK_INPUT && hook != NftPacket.HOOK_FORWARD
                && hook != NftPacket.HOOK_OUTPUT) {
            return false; // nft_reject_validate refuses other hooks
        }
        busy = true;
        try {
            MemorySegment seg = p.segment;
            long l3 = p.frameOffset + p.networkOffset;
            int l3len = p.frameLength - p.networkOffset;
            boolean v4 = p.protocol == 0x0800 || p.nfproto == NftPacket.NFPROTO_IPV4;
            NetDevice inDev = p.iif == 0 ? null : router.devices.byIndex(p.iif);
            if (v4) {
                if (l3len < 20) {
                    return false;
                }
                return switch (type) {
                    case TCP_RST -> reset4(seg, l3, l3len, hook);
                    case ICMP_UNREACH -> unreach4(seg, l3, l3len, hook, code, inDev, p.pkttype);
                    case ICMPX_UNREACH -> icmpCode(code) >= 0
                            && unreach4(seg, l3, l3len, hook, icmpCode(code), inDev, p.pkttype);
                    default -> false;
                };
            }
            if (l3len < 40) {
                return false;
            }
            return switch (type) {
                case TCP_RST -> reset6(seg, l3, l3len, inDev);
                case ICMP_UNREACH -> unreach6(seg, l3, l3len, code, inDev, p.pkttype);
                case ICMPX_UNREACH -> icmpv6Code(code) >= 0
                        && unreach6(seg, l3, l3len, icmpv6Code(code), inDev, p.pkttype);
                default -> false;
            };
        } finally {
            busy = false;
        }
    }

    // ---------------------------------------------------------------- IPv4

    /** nf_send_unreach. */
    private boolean unreach4(MemorySegment seg, long l3, int l3len, int hook, int code, NetDevice inDev,
                             int pktType) {
        in4.wrap(seg, l3);
        if (in4.fragmentOffset() != 0) {
            return false;
        }
        int ihl = in4.headerLength();
        if (ihl > l3len) {
            return false;
        }
        int proto = in4.protocol();
        if (verifiesChecksum(proto) && !checksumOk4(seg, l3, l3len, ihl, proto)) {
            return false;
        }
        int saddr = in4.src();
        int daddr = in4.dst();
        if (router.devices.isLocalIpv4(saddr)) {
            return false; // our own packet (output hook): the error is delivered locally, never sent
        }
        boolean toLocal;
        if (hook == NftPacket.HOOK_PREROUTING) {
            // nf_reject_fill_skb_dst: the route back to the source becomes the packet's route.
            Route back = router.fib.lookup4(saddr);
            if (back == null || back.type() == Route.UNREACHABLE) {
                return false;
            }
            toLocal = back.type() == Route.LOCAL;
        } else {
            // The packet's own route: local for input (no replies to broadcasts), unicast for forward.
            if ((daddr >>> 28) == 0xe || daddr == -1) {
                return false;
            }
            Route rt = router.fib.lookup4(daddr);
            if (rt != null && rt.type() == Route.BROADCAST) {
                return false;
            }
            toLocal = rt != null && rt.type() == Route.LOCAL;
        }
        router.icmp4.sendError(seg, l3, l3len, inDev, IcmpView.DEST_UNREACH, code, 0, toLocal, pktType);
        return true;
    }

    /** nf_send_reset. */
    private boolean reset4(MemorySegment seg, long l3, int l3len, int hook) {
        in4.wrap(seg, l3);
        int ihl = in4.headerLength();
        if (in4.fragmentOffset() != 0 || in4.protocol() != IpProto.TCP || ihl + 20 > l3len) {
            return false;
        }
        long l4 = l3 + ihl;
        int l4len = l3len - ihl;
        inTcp.wrap(seg, l4);
        if ((inTcp.flags() & TcpView.RST) != 0) {
            return false;
        }
        int saddr = in4.src();
        int daddr = in4.dst();
        if (router.devices.isLocalIpv4(saddr)) {
            return false; // the reset would go to ourselves
        }
        if (!Checksum.l4ValidV4(seg, l4, l4len, saddr, daddr, IpProto.TCP)) {
            return false;
        }
        if (hook != NftPacket.HOOK_PREROUTING) {
            if ((daddr >>> 28) == 0xe || daddr == -1) {
                return false;
            }
            Route own = router.fib.lookup4(daddr);
            if (own != null && own.type() == Route.BROADCAST) {
                return false;
            }
        }
        // ip_route_me_harder: the reset is routed to the rejected packet's source.
        Route rt = router.fib.lookup4(saddr);
        if (rt == null || rt.type() != Route.UNICAST) {
            return false;
        }
        MemorySegment s = scratch.segment();
        long o = Output.HEADROOM;
        ip4.wrap(s, o);
        Bytes.setU8(s, o, 0x45);
        ip4.tos(0);
        ip4.totalLength(40);
        ip4.id(0);
        ip4.fragField(0x4000);
        ip4.ttl(ttl);
        ip4.protocol(IpProto.TCP);
        ip4.src(daddr);
        ip4.dst(saddr);
        ip4.fillChecksum();
        fillReset(s, o + 20, l4len);
        tcp.checksum(Checksum.finish(Checksum.sum(s, o + 20, 20, Checksum.pseudoV4(daddr, saddr, IpProto.TCP, 20))));
        int nexthop = rt.hasGateway() ? rt.gateway4() : saddr;
        router.relatedTo(seg);
        router.output.local4(s, o, 40, rt.device(), nexthop, IpProto.TCP);
        return true;
    }

    private static boolean checksumOk4(MemorySegment seg, long l3, int l3len, int ihl, int proto) {
        long l4 = l3 + ihl;
        int l4len = l3len - ihl;
        if (proto == IpProto.TCP || proto == IpProto.UDP) {
            int src = Bytes.u32(seg, l3 + 12);
            int dst = Bytes.u32(seg, l3 + 16);
            return Checksum.l4ValidV4(seg, l4, l4len, src, dst, proto);
        }
        // nf_ip_checksum for other protocols: the plain one's complement sum of the payload.
        return Checksum.fold(Checksum.sum(seg, l4, l4len, 0)) == 0xffff;
    }

    // ---------------------------------------------------------------- IPv6

    /** nf_send_unreach6. */
    private boolean unreach6(MemorySegment seg, long l3, int l3len, int code, NetDevice inDev, int pktType) {
        in6.wrap(seg, l3);
        long th = transport6(seg, l3, l3len);
        if (th < 0) {
            return false;
        }
        int thoff = (int) (th >>> 8);
        int proto = (int) (th & 0xff);
        if (thoff >= l3len) {
            return false;
        }
        if (verifiesChecksum(proto) && !Checksum.l4ValidV6(seg, l3 + thoff, l3len - thoff, in6.srcHi(), in6.srcLo(),
                in6.dstHi(), in6.dstLo(), proto)) {
            return false;
        }
        if (router.devices.isLocalIpv6(in6.srcHi(), in6.srcLo())) {
            return false; // our own packet: the error would be delivered locally
        }
        router.icmp6.sendError(seg, l3, l3len, inDev, Icmpv6View.DEST_UNREACH, code, 0, pktType, proto,
                l3 + thoff);
        return true;
    }

    /** nf_send_reset6. */
    private boolean reset6(MemorySegment seg, long l3, int l3len, NetDevice inDev) {
        in6.wrap(seg, l3);
        long th = transport6(seg, l3, l3len);
        if (th < 0 || (th & 0xff) != IpProto.TCP) {
            return false;
        }
        int thoff = (int) (th >>> 8);
        int l4len = l3len - thoff;
        if (l4len < 20) {
            return false;
        }
        long l4 = l3 + thoff;
        inTcp.wrap(seg, l4);
        if ((inTcp.flags() & TcpView.RST) != 0) {
            return false;
        }
        long sHi = in6.srcHi(), sLo = in6.srcLo(), dHi = in6.dstHi(), dLo = in6.dstLo();
        if (!Checksum.l4ValidV6(seg, l4, l4len, sHi, sLo, dHi, dLo, IpProto.TCP)) {
            return false;
        }
        if (!unicast6(sHi, sLo) || !unicast6(dHi, dLo)) {
            return false;
        }
        Route rt = router.fib.lookup6(sHi, sLo, inDev == null ? 0 : inDev.ifindex());
        if (rt == null || rt.type() != Route.UNICAST) {
            return false;
        }
        MemorySegment s = scratch.segment();
        long o = Output.HEADROOM;
        ip6.wrap(s, o);
        Bytes.setU32(s, o, 0x6000_0000);
        ip6.payloadLength(20);
        ip6.nextHeader(IpProto.TCP);
        ip6.hopLimit(hopLimit);
        ip6.src(dHi, dLo);
        ip6.dst(sHi, sLo);
        fillReset(s, o + 40, l4len);
        long acc = Checksum.pseudoV6(dHi, dLo, sHi, sLo, IpProto.TCP, 20);
        tcp.checksum(Checksum.finish(Checksum.sum(s, o + 40, 20, acc)));
        long nhHi = rt.hasGateway() ? rt.gatewayHi() : sHi;
        long nhLo = rt.hasGateway() ? rt.gatewayLo() : sLo;
        router.relatedTo(seg);
        router.output.local6(s, o, 60, rt.device(), nhHi, nhLo, IpProto.TCP);
        return true;
    }

    /**
     * ipv6_skip_exthdr from the end of the fixed header: {@code (offset << 8) | protocol} of the upper layer,
     * or -1 for a non-first fragment (Linux stops at its fragment header) or a truncated header chain.
     */
    private static long transport6(MemorySegment seg, long l3, int l3len) {
        int nh = Bytes.u8(seg, l3 + 6);
        int off = 40;
        while (nh == IpProto.HOPOPTS || nh == IpProto.ROUTING || nh == IpProto.FRAGMENT || nh == IpProto.AH
                || nh == IpProto.DSTOPTS) {
            if (off + 8 > l3len) {
                return -1;
            }
            long h = l3 + off;
            int hl;
            if (nh == IpProto.FRAGMENT) {
                if ((Bytes.u16(seg, h + 2) & ~7) != 0) {
                    return -1;
                }
                hl = 8;
            } else if (nh == IpProto.AH) {
                hl = (Bytes.u8(seg, h + 1) + 2) << 2;
            } else {
                hl = (Bytes.u8(seg, h + 1) + 1) << 3;
            }
            nh = Bytes.u8(seg, h);
            off += hl;
        }
        if (off > l3len) {
            return -1;
        }
        return ((long) off << 8) | nh;
    }

    /** ipv6_addr_type(...) & IPV6_ADDR_UNICAST: neither unspecified nor multicast. */
    private static boolean unicast6(long hi, long lo) {
        return (hi >>> 56) != 0xff && !(hi == 0 && lo == 0);
    }

    // ---------------------------------------------------------------- shared

    /** nf_reject_verify_csum: protocols whose checksum is not a one's complement sum of the whole payload. */
    private static boolean verifiesChecksum(int proto) {
        return switch (proto) {
            case IpProto.AH, IpProto.ESP, IpProto.SCTP, IpProto.UDPLITE, IPPROTO_DCCP, IpProto.GRE -> false;
            default -> true;
        };
    }

    /** nf_reject_ip_tcphdr_put / nf_reject_ip6_tcphdr_put: the RST answering {@link #inTcp}. */
    private void fillReset(MemorySegment s, long l4, int inL4len) {
        for (int i = 0; i < 20; i += 4) {
            Bytes.setU32(s, l4 + i, 0);
        }
        tcp.wrap(s, l4);
        tcp.sport(inTcp.dport());
        tcp.dport(inTcp.sport());
        Bytes.setU8(s, l4 + 12, 5 << 4);
        int flags = inTcp.flags();
        if ((flags & TcpView.ACK) != 0) {
            tcp.seq(inTcp.ack());
            tcp.flags(TcpView.RST);
        } else {
            int payload = inL4len - inTcp.headerLength();
            int consumed = payload + ((flags & TcpView.SYN) != 0 ? 1 : 0) + ((flags & TcpView.FIN) != 0 ? 1 : 0);
            tcp.ack(inTcp.seq() + consumed);
            tcp.flags(TcpView.RST | TcpView.ACK);
        }
        tcp.checksum(0);
    }
}
