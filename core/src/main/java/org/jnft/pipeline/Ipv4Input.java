package org.jnft.pipeline;

import java.lang.foreign.MemorySegment;
import org.jnft.packet.Checksum;
import org.jnft.packet.IcmpView;
import org.jnft.packet.IpProto;
import org.jnft.packet.Ipv4View;
import org.jnft.packet.PacketBuffer;
import org.jnft.packet.PacketInfo;
import org.jnft.packet.ParseStatus;
import org.jnft.route.NetDevice;
import org.jnft.route.Route;
import org.jnft.vm.NftPacket;

/**
 * IPv4 receive: ip_rcv_core's checks, the input route (ip_route_input_slow's martian checks and FIB lookup),
 * then ip_forward or ip_local_deliver.
 */
final class Ipv4Input {
    private static final int ICMP_NET_UNREACH = 0;
    private static final int ICMP_PROT_UNREACH = 2;
    private static final int ICMP_PORT_UNREACH = 3;
    private static final int ICMP_FRAG_NEEDED = 4;
    private static final int ICMP_EXC_TTL = 0;
    private static final int ICMP_REDIR_HOST = 1;

    private final Router router;
    private final boolean echoIgnoreAll;
    private final boolean echoIgnoreBroadcasts;
    private final boolean sendRedirects;
    private final Ipv4View ip = new Ipv4View();
    private final IcmpView icmp = new IcmpView();

    Ipv4Input(Router router, Sysctl sysctl) {
        this.router = router;
        this.echoIgnoreAll = sysctl.getInt("net.ipv4.icmp_echo_ignore_all") != 0;
        this.echoIgnoreBroadcasts = sysctl.getInt("net.ipv4.icmp_echo_ignore_broadcasts") != 0;
        this.sendRedirects = sysctl.getInt("net.ipv4.conf.all.send_redirects") != 0;
    }

    void receive(PacketBuffer pkt, PacketInfo pi, int status, NetDevice dev, int pktType) {
        if (status != ParseStatus.OK && status != ParseStatus.L4_TRUNCATED) {
            router.drop(dev, reasonOf(status));
            return;
        }
        if (pi.fragment && router.defragIpv4()) {
            pkt = router.defrag(pkt, pi, dev, false);
            if (pkt == null) {
                return;
            }
        }
        MemorySegment seg = pkt.segment();
        long l3 = pi.l3Offset;
        int l3len = pi.l3Length;
        router.hooks.rxLayer3(pi, NftPacket.NFPROTO_IPV4);
        if (!router.prerouting(seg, pi, NftPacket.NFPROTO_IPV4, dev)) {
            return;
        }
        ip.wrap(seg, l3);
        int saddr = ip.src();
        int daddr = ip.dst();

        // ip_route_input_slow: martians first.
        if (isMulticast(saddr) || saddr == -1) {
            router.drop(dev, DropReason.IP_INVALID_SOURCE);
            return;
        }
        if (daddr == -1 || (saddr == 0 && daddr == 0)) {
            localDeliver(seg, l3, l3len, pi, status, dev, true, pktType);
            return;
        }
        if ((saddr >>> 24) == 0) {
            router.drop(dev, DropReason.IP_INVALID_SOURCE);
            return;
        }
        if ((daddr >>> 24) == 0) {
            router.drop(dev, DropReason.IP_INVALID_DEST);
            return;
        }
        if ((daddr >>> 24) == 127 || (saddr >>> 24) == 127) {
            router.drop(dev, DropReason.IP_LOCALNET);
            return;
        }
        if (isMulticast(daddr)) {
            // No multicast routing: only the all-hosts group is joined; nothing here answers it.
            router.drop(dev, DropReason.NOT_SPECIFIED);
            return;
        }
        Route rt = router.fib.lookup4(daddr);
        if (rt == null || rt.type() == Route.UNREACHABLE) {
            // ip_error: ENETUNREACH -> ICMP net unreachable, behind its own per-source limiter.
            if (router.icmpRateLimit.errorAllow(IcmpRateLimit.IPV4, saddr, router.now())) {
                router.icmp4.sendError(seg, l3, l3len, dev, IcmpView.DEST_UNREACH, ICMP_NET_UNREACH, 0, false,
                        pktType);
            }
            router.drop(dev, DropReason.IP_INNOROUTES);
            return;
        }
        switch (rt.type()) {
            case Route.LOCAL -> localDeliver(seg, l3, l3len, pi, status, dev, false, pktType);
            case Route.BROADCAST -> localDeliver(seg, l3, l3len, pi, status, dev, true, pktType);
            default -> forward(seg, l3, l3len, dev, rt, pktType);
        }
    }

    /** ip_forward: TTL, MTU with DF, TTL decrement, then the output path. */
    private void forward(MemorySegment seg, long l3, int l3len, NetDevice in, Route rt, int pktType) {
        if (pktType != Router.PACKET_HOST) {
            router.drop(in, DropReason.NOT_SPECIFIED);
            return;
        }
        if (ip.ttl() <= 1) {
            router.icmp4.sendError(seg, l3, l3len, in, IcmpView.TIME_EXCEEDED, ICMP_EXC_TTL, 0, false, pktType);
            router.drop(in, DropReason.IP_INHDR);
            return;
        }
        NetDevice out = rt.device();
        int mtu = out.mtu();
        if (Ipv4Refragmenter.exceedsMtu(l3len, ip.df(), router.rxMeta, mtu)) {
            router.icmp4.sendError(seg, l3, l3len, in, IcmpView.DEST_UNREACH, ICMP_FRAG_NEEDED, mtu & 0xffff, false,
                    pktType);
            router.drop(in, DropReason.PKT_TOO_BIG);
            return;
        }
        ip.decrementTtl();
        int nexthop = rt.hasGateway() ? rt.gateway4() : ip.dst();
        // __mkroute_input sets IPSKB_DOREDIRECT when the packet leaves by the device it came in on and both
        // its source and the next hop are on that link; ip_rt_send_redirect then tells the source, rate limited.
        if (out == in && sendRedirects && onLink(in, ip.src()) && (!rt.hasGateway() || onLink(in, nexthop))
                && router.icmpRateLimit.redirectAllow(IcmpRateLimit.IPV4, ip.src(), router.now())) {
            router.icmp4.sendError(seg, l3, l3len, in, IcmpView.REDIRECT, ICMP_REDIR_HOST, nexthop, false, pktType);
        }
        router.hooks.rxOutput(out);
        router.fwdRoute = rt;
        boolean accepted = router.rxHook(NftPacket.NFPROTO_IPV4, NftPacket.HOOK_FORWARD, in);
        router.fwdRoute = null;
        if (!accepted) {
            return;
        }
        router.output.forward4(seg, l3, l3len, out, nexthop, in.ifindex());
    }

    /** ip_local_deliver: the router's own protocols (echo, and errors for what nobody listens to). */
    private void localDeliver(MemorySegment seg, long l3, int l3len, PacketInfo pi, int status, NetDevice dev,
                              boolean broadcast, int pktType) {
        if (pi.fragment) {
            // Reassembly comes with issue 3 (defrag); until then fragments to the router are not consumed.
            router.drop(dev, DropReason.NOT_SPECIFIED);
            return;
        }
        if (status == ParseStatus.L4_TRUNCATED) {
            router.drop(dev, DropReason.PKT_TOO_SMALL);
            return;
        }
        if (!router.input(seg, pi, NftPacket.NFPROTO_IPV4, dev)) {
            return;
        }
        int l4 = pi.l4Offset;
        int l4len = l3len - (pi.l4Offset - pi.l3Offset);
        long l4abs = l3 + (l4 - pi.l3Offset);
        switch (pi.l4Proto) {
            case IpProto.ICMP -> {
                if (Checksum.fold(Checksum.sum(seg, l4abs, l4len, 0)) != 0xffff) {
                    router.drop(dev, DropReason.ICMP_CSUM);
                    return;
                }
                icmp.wrap(seg, l4abs);
                if (icmp.type() == IcmpView.ECHO_REQUEST) {
                    if (echoIgnoreAll || (broadcast && echoIgnoreBroadcasts)) {
                        router.drop(dev, DropReason.NOT_SPECIFIED);
                        return;
                    }
                    router.icmp4.echoReply(seg, l3, l3len);
                }
                // Other ICMP messages are consumed (replies, errors for sockets the router does not have).
            }
            case IpProto.UDP -> {
                if (!Checksum.l4ValidV4(seg, l4abs, l4len, ip.src(), ip.dst(), IpProto.UDP)) {
                    router.drop(dev, DropReason.UDP_CSUM);
                    return;
                }
                if (!broadcast) {
                    router.icmp4.sendError(seg, l3, l3len, dev, IcmpView.DEST_UNREACH, ICMP_PORT_UNREACH, 0, true,
                            pktType);
                }
                router.drop(dev, DropReason.NO_SOCKET);
            }
            case IpProto.TCP -> {
                if (l4len < 20 || !Checksum.l4ValidV4(seg, l4abs, l4len, ip.src(), ip.dst(), IpProto.TCP)) {
                    router.drop(dev, DropReason.TCP_CSUM);
                    return;
                }
                if (!broadcast) {
                    router.tcpReset.send4(seg, l3, l4abs, l4len);
                }
                router.drop(dev, DropReason.NO_SOCKET);
            }
            default -> {
                router.icmp4.sendError(seg, l3, l3len, dev, IcmpView.DEST_UNREACH, ICMP_PROT_UNREACH, 0, true,
                        pktType);
                router.drop(dev, DropReason.IP_NOPROTO);
            }
        }
    }

    /** inet_addr_onlink: is {@code addr} inside one of the device's IPv4 subnets? */
    static boolean onLink(NetDevice dev, int addr) {
        for (int i = 0; i < dev.ipv4Count(); i++) {
            int plen = dev.ipv4PrefixLength(i);
            int mask = plen == 0 ? 0 : -1 << (32 - plen);
            if (((dev.ipv4Address(i) ^ addr) & mask) == 0) {
                return true;
            }
        }
        return false;
    }

    static boolean isMulticast(int addr) {
        return (addr >>> 28) == 0xe;
    }

    static DropReason reasonOf(int status) {
        return switch (status) {
            case ParseStatus.PKT_TOO_SMALL -> DropReason.PKT_TOO_SMALL;
            case ParseStatus.IP_CSUM -> DropReason.IP_CSUM;
            case ParseStatus.UNHANDLED_PROTO -> DropReason.UNHANDLED_PROTO;
            default -> DropReason.IP_INHDR;
        };
    }
}
