package org.jnft.pipeline;

import java.lang.foreign.MemorySegment;
import org.jnft.packet.Checksum;
import org.jnft.packet.EthernetView;
import org.jnft.packet.Icmpv6View;
import org.jnft.packet.IpProto;
import org.jnft.packet.Ipv6View;
import org.jnft.packet.PacketBuffer;
import org.jnft.packet.PacketInfo;
import org.jnft.packet.ParseStatus;
import org.jnft.route.NetDevice;
import org.jnft.route.Route;
import org.jnft.vm.NftPacket;

/** IPv6 receive: ipv6_rcv's checks, the input route, then ip6_forward or local delivery (ICMPv6, NDP). */
final class Ipv6Input {
    private static final int ICMPV6_NOROUTE = 0;
    private static final int ICMPV6_NOT_NEIGHBOUR = 2;
    private static final long SECOND = 1_000_000_000L;
    private static final int ICMPV6_PORT_UNREACH = 4;
    private static final int ICMPV6_EXC_HOPLIMIT = 0;
    private static final int ICMPV6_UNK_NEXTHDR = 1;
    private static final int ICMPV6_PARAMPROB = 4;

    private final Router router;
    private final Ipv6View ip = new Ipv6View();
    private final Icmpv6View icmp = new Icmpv6View();
    private final EthernetView eth = new EthernetView();

    Ipv6Input(Router router, Sysctl sysctl) {
        this.router = router;
    }

    void receive(PacketBuffer pkt, PacketInfo pi, int status, NetDevice dev, int pktType) {
        if (status != ParseStatus.OK && status != ParseStatus.L4_TRUNCATED) {
            router.drop(dev, Ipv4Input.reasonOf(status));
            return;
        }
        if (router.defragIpv6()) {
            // nf_ct_frag6_gather sees every packet: atomic fragments are not marked as fragments by the parser
            pkt = router.defrag(pkt, pi, dev, true);
            if (pkt == null) {
                return;
            }
        }
        MemorySegment seg = pkt.segment();
        long l3 = pi.l3Offset;
        int l3len = pi.l3Length;
        router.hooks.rxLayer3(pi, NftPacket.NFPROTO_IPV6);
        if (!router.prerouting(seg, pi, NftPacket.NFPROTO_IPV6, dev)) {
            return;
        }
        ip.wrap(seg, l3);
        long sHi = ip.srcHi();
        long sLo = ip.srcLo();
        long dHi = ip.dstHi();
        long dLo = ip.dstLo();
        // ip6_rcv_core: multicast or loopback sources, loopback and interface-local multicast destinations.
        if ((sHi >>> 56) == 0xff || isLoopback(dHi, dLo) || isLoopback(sHi, sLo)
                || (dHi >>> 48) == 0xff01 || (dHi >>> 48) == 0xff11) {
            router.drop(dev, DropReason.IP_INHDR);
            return;
        }
        if ((dHi >>> 56) == 0xff) {
            if (joined(dev, dHi, dLo)) {
                localDeliver(seg, l3, l3len, pi, status, dev, true, pktType);
            } else {
                router.drop(dev, DropReason.NOT_SPECIFIED);
            }
            return;
        }
        Route rt = router.fib.lookup6(dHi, dLo, dev.ifindex());
        if (rt == null || rt.type() == Route.UNREACHABLE) {
            // ip6_pkt_discard: ICMPv6 no route.
            router.icmp6.sendError(seg, l3, l3len, dev, Icmpv6View.DEST_UNREACH, ICMPV6_NOROUTE, 0, pktType,
                    pi.l4Proto, l4(l3, pi));
            router.drop(dev, DropReason.IP_INNOROUTES);
            return;
        }
        if (rt.type() == Route.LOCAL) {
            localDeliver(seg, l3, l3len, pi, status, dev, false, pktType);
            return;
        }
        forward(seg, l3, l3len, pi, dev, rt, pktType);
    }

    /** ip6_forward: hop limit, source checks, MTU (no fragmentation by routers), hop limit decrement. */
    private void forward(MemorySegment seg, long l3, int l3len, PacketInfo pi, NetDevice in, Route rt, int pktType) {
        if (pktType != Router.PACKET_HOST) {
            router.drop(in, DropReason.OTHERHOST);
            return;
        }
        if (ip.hopLimit() <= 1) {
            router.icmp6.sendError(seg, l3, l3len, in, Icmpv6View.TIME_EXCEEDED, ICMPV6_EXC_HOPLIMIT, 0, pktType,
                    pi.l4Proto, l4(l3, pi));
            router.drop(in, DropReason.IP_INHDR);
            return;
        }
        if (isLinkLocal(ip.dstHi())) {
            router.drop(in, DropReason.NOT_SPECIFIED); // link-local destinations are not ours to forward
            return;
        }
        NetDevice out = rt.device();
        if (out == in) {
            // ip6_forward: same device in and out -> redirect (limited by destination here, by source inside).
            long tHi = rt.hasGateway() ? rt.gatewayHi() : ip.dstHi();
            long tLo = rt.hasGateway() ? rt.gatewayLo() : ip.dstLo();
            if (router.icmpRateLimit.peerAllow(ip.dstHi(), ip.dstLo(), SECOND, router.now())) {
                router.icmp6.redirect(seg, l3, l3len, in, tHi, tLo);
            }
        } else if (isLinkLocal(ip.srcHi())) {
            // "This check is security critical": link-local sources never leave their link.
            router.icmp6.sendError(seg, l3, l3len, in, Icmpv6View.DEST_UNREACH, ICMPV6_NOT_NEIGHBOUR, 0, pktType,
                    pi.l4Proto, l4(l3, pi));
            router.drop(in, DropReason.NOT_SPECIFIED);
            return;
        }
        int mtu = Math.max(out.mtu(), 1280);
        if (Ipv6Refragmenter.pktTooBig(l3len, router.rxMeta, mtu)) {
            router.icmp6.sendError(seg, l3, l3len, in, Icmpv6View.PACKET_TOO_BIG, 0, mtu, pktType,
                    pi.l4Proto, l4(l3, pi));
            router.drop(in, DropReason.PKT_TOO_BIG);
            return;
        }
        ip.hopLimit(ip.hopLimit() - 1);
        long nhHi = rt.hasGateway() ? rt.gatewayHi() : ip.dstHi();
        long nhLo = rt.hasGateway() ? rt.gatewayLo() : ip.dstLo();
        router.hooks.rxOutput(out);
        router.fwdRoute = rt;
        boolean accepted = router.rxHook(NftPacket.NFPROTO_IPV6, NftPacket.HOOK_FORWARD, in);
        router.fwdRoute = null;
        if (!accepted) {
            return;
        }
        router.output.forward6(seg, l3, l3len, out, nhHi, nhLo, in.ifindex());
    }

    private void localDeliver(MemorySegment seg, long l3, int l3len, PacketInfo pi, int status, NetDevice dev,
                              boolean multicast, int pktType) {
        if (pi.fragment) {
            router.drop(dev, DropReason.NOT_SPECIFIED); // reassembly comes with issue 3
            return;
        }
        if (status == ParseStatus.L4_TRUNCATED) {
            router.drop(dev, DropReason.PKT_TOO_SMALL);
            return;
        }
        if (!router.input(seg, pi, NftPacket.NFPROTO_IPV6, dev)) {
            return;
        }
        long l4abs = l4(l3, pi);
        int l4len = l3len - (pi.l4Offset - pi.l3Offset);
        switch (pi.l4Proto) {
            case IpProto.ICMPV6 -> icmpv6(seg, l3, l4abs, l4len, dev, multicast);
            case IpProto.UDP -> {
                if (!Checksum.l4ValidV6(seg, l4abs, l4len, ip.srcHi(), ip.srcLo(), ip.dstHi(), ip.dstLo(),
                        IpProto.UDP)) {
                    router.drop(dev, DropReason.UDP_CSUM);
                    return;
                }
                if (!multicast) {
                    router.icmp6.sendError(seg, l3, l3len, dev, Icmpv6View.DEST_UNREACH, ICMPV6_PORT_UNREACH, 0,
                            pktType, IpProto.UDP, l4abs);
                }
                router.drop(dev, DropReason.NO_SOCKET);
            }
            case IpProto.TCP -> {
                if (l4len < 20 || !Checksum.l4ValidV6(seg, l4abs, l4len, ip.srcHi(), ip.srcLo(), ip.dstHi(),
                        ip.dstLo(), IpProto.TCP)) {
                    router.drop(dev, DropReason.TCP_CSUM);
                    return;
                }
                if (!multicast) {
                    router.tcpReset.send6(seg, l3, l4abs, l4len);
                }
                router.drop(dev, DropReason.NO_SOCKET);
            }
            case IpProto.NONE -> { }
            default -> {
                // ip6_protocol_deliver_rcu: parameter problem pointing at the unknown next header (only
                // without extension headers here: the pointer to a later header needs the walk's offsets).
                if (!pi.ipv6ExtHeaders) {
                    router.icmp6.sendError(seg, l3, l3len, dev, ICMPV6_PARAMPROB, ICMPV6_UNK_NEXTHDR, 6, pktType,
                            pi.l4Proto, l4abs);
                }
                router.drop(dev, DropReason.IP_NOPROTO);
            }
        }
    }

    private void icmpv6(MemorySegment seg, long l3, long l4, int l4len, NetDevice dev, boolean multicast) {
        if (l4len < 4 || !Checksum.l4ValidV6(seg, l4, l4len, ip.srcHi(), ip.srcLo(), ip.dstHi(), ip.dstLo(),
                IpProto.ICMPV6)) {
            router.drop(dev, DropReason.ICMP_CSUM);
            return;
        }
        icmp.wrap(seg, l4);
        switch (icmp.type()) {
            case Icmpv6View.ECHO_REQUEST -> {
                if (l4len >= 8) {
                    router.icmp6.echoReply(seg, l3, l4, l4len);
                }
            }
            case Icmpv6View.NEIGHBOUR_SOLICIT -> neighbourSolicit(seg, l3, l4, l4len, dev, multicast);
            case Icmpv6View.NEIGHBOUR_ADVERT -> neighbourAdvert(l4, l4len, dev, multicast);
            default -> { } // adverts, replies and errors are consumed
        }
    }

    /** ndisc_recv_ns: validate, learn the sender, answer for our own addresses on this link. */
    private void neighbourSolicit(MemorySegment seg, long l3, long l4, int l4len, NetDevice dev, boolean multicast) {
        if (ip.hopLimit() != 255 || icmp.code() != 0 || l4len < 24) {
            router.drop(dev, DropReason.INVALID_PROTO);
            return;
        }
        long tHi = icmp.targetHi();
        long tLo = icmp.targetLo();
        if ((tHi >>> 56) == 0xff) {
            router.drop(dev, DropReason.INVALID_PROTO);
            return;
        }
        long sHi = ip.srcHi();
        long sLo = ip.srcLo();
        long lladdr = icmp.linkLayerOption(1, (int) (l4 + l4len));
        boolean unspecified = sHi == 0 && sLo == 0;
        if (unspecified && lladdr >= 0) {
            router.drop(dev, DropReason.INVALID_PROTO); // DAD probes carry no source link-layer option
            return;
        }
        if (!dev.hasIpv6(tHi, tLo)) {
            return; // not ours (no proxy NDP)
        }
        if (unspecified) {
            // DAD: answer to all-nodes; the neighbour table learns nothing
            router.icmp6.neighbourAdvert(dev, tHi, tLo, 0, 0, true);
            return;
        }
        if (router.neigh.nsReceived(dev, sHi, sLo, lladdr, multicast, router.now())) {
            router.icmp6.neighbourAdvert(dev, tHi, tLo, sHi, sLo, multicast);
        }
    }

    /** ndisc_recv_na: validate, then let the neighbour table update (solicited, override, router flags). */
    private void neighbourAdvert(long l4, int l4len, NetDevice dev, boolean multicast) {
        if (ip.hopLimit() != 255 || icmp.code() != 0 || l4len < 24) {
            router.drop(dev, DropReason.INVALID_PROTO);
            return;
        }
        long tHi = icmp.targetHi();
        long tLo = icmp.targetLo();
        int flags = icmp.restOfHeader();
        boolean solicited = (flags & 0x4000_0000) != 0;
        if ((tHi >>> 56) == 0xff || (solicited && multicast)) {
            router.drop(dev, DropReason.INVALID_PROTO);
            return;
        }
        if (dev.hasIpv6(tHi, tLo)) {
            return; // someone else claims our address (DAD is not run here)
        }
        router.neigh.naReceived(dev, tHi, tLo, icmp.linkLayerOption(2, (int) (l4 + l4len)), solicited,
                (flags & 0x2000_0000) != 0, (flags & 0x8000_0000) != 0, router.now());
    }

    /** The groups every interface has joined: all-nodes, all-routers, and our solicited-node groups. */
    private static boolean joined(NetDevice dev, long hi, long lo) {
        if (hi == 0xff02_0000_0000_0000L && (lo == 1 || lo == 2)) {
            return true;
        }
        if (hi == 0xff02_0000_0000_0000L && (lo >>> 24) == 0x1_ff) {
            int low24 = (int) (lo & 0xff_ffff);
            for (int i = 0; i < dev.ipv6Count(); i++) {
                if ((int) (dev.ipv6Lo(i) & 0xff_ffff) == low24) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean isLinkLocal(long hi) {
        return (hi >>> 54) == (0xfe80L >>> 6);
    }

    private static boolean isLoopback(long hi, long lo) {
        return hi == 0 && lo == 1;
    }

    private static long l4(long l3, PacketInfo pi) {
        return pi.l4Offset < 0 ? -1 : l3 + (pi.l4Offset - pi.l3Offset);
    }
}
