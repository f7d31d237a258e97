package org.jnft.pipeline;

import java.lang.foreign.MemorySegment;
import org.jnft.packet.Bytes;
import org.jnft.packet.Checksum;
import org.jnft.packet.Icmpv6View;
import org.jnft.packet.IpProto;
import org.jnft.packet.Ipv6View;
import org.jnft.packet.PacketBuffer;
import org.jnft.route.NetDevice;
import org.jnft.route.Route;

/**
 * ICMPv6 messages the router sends, as net/ipv6/icmp.c and ndisc.c build them: errors (icmp6_send), echo
 * replies (icmpv6_echo_reply) and neighbour advertisements (ndisc_send_na).
 */
final class Icmp6 {
    /** icmp6_send quotes at most what fits in the minimum IPv6 MTU. */
    private static final int IPV6_MIN_MTU = 1280;

    private final Router router;
    private final int hopLimit;
    private final long ratelimitNanos;
    private final PacketBuffer scratch = new PacketBuffer(65536 + 256);
    private final Ipv6View in = new Ipv6View();
    private final Ipv6View ip = new Ipv6View();
    private final Icmpv6View icmp = new Icmpv6View();
    private final long[] addr = new long[2];

    Icmp6(Router router, Sysctl sysctl) {
        this.router = router;
        this.hopLimit = sysctl.getInt("net.ipv6.conf.all.hop_limit");
        this.ratelimitNanos = sysctl.get("net.ipv6.icmp.ratelimit") * 1_000_000L;
    }

    /**
     * icmp6_send: an error about the packet at {@code l3}. {@code innerProto}/{@code innerL4} locate its upper
     * layer header (-1 when unknown) to refuse errors about ICMPv6 errors (is_ineligible).
     */
    void sendError(MemorySegment seg, long l3, int l3len, NetDevice inDev, int type, int code, int info,
                   int pktType, int innerProto, long innerL4) {
        in.wrap(seg, l3);
        long dHi = in.dstHi();
        long dLo = in.dstLo();
        boolean dstMulticast = (dHi >>> 56) == 0xff;
        if ((dstMulticast || pktType != Router.PACKET_HOST) && type != Icmpv6View.PACKET_TOO_BIG) {
            return;
        }
        long sHi = in.srcHi();
        long sLo = in.srcLo();
        if ((sHi == 0 && sLo == 0) || (sHi >>> 56) == 0xff) {
            return; // never to the unspecified or a multicast source
        }
        if (innerProto == IpProto.ICMPV6) {
            if (innerL4 < 0 || innerL4 >= l3 + l3len) {
                return;
            }
            int innerType = Bytes.u8(seg, innerL4);
            if ((innerType & 0x80) == 0) {
                return; // an error about an error
            }
        }
        // icmpv6_global_allow: Linux's default ratemask "0-1,3-127" limits every error but packet too big.
        boolean limited = type < 128 && type != Icmpv6View.PACKET_TOO_BIG;
        long now = router.now();
        if (limited && !router.icmpRateLimit.globalAllow(now)) {
            return;
        }
        Route rt = router.fib.lookup6(sHi, sLo, inDev == null ? 0 : inDev.ifindex());
        if (rt == null || rt.type() != Route.UNICAST) {
            return;
        }
        if (limited) { // icmpv6_xrlim_allow (current Linux: no more scaling by the route's prefix length)
            if (!router.icmpRateLimit.peerAllow(sHi, sLo, ratelimitNanos, now)) {
                return;
            }
            router.icmpRateLimit.globalConsume();
        }
        NetDevice out = rt.device();
        if (!dstMulticast && router.devices.isLocalIpv6(dHi, dLo)) {
            addr[0] = dHi;
            addr[1] = dLo;
        } else if (!out.ipv6SourceFor(sHi, sLo, addr)) {
            return;
        }
        int dataLen = Math.min(l3len, IPV6_MIN_MTU - 40 - 8);
        MemorySegment s = scratch.segment();
        long o = Output.HEADROOM;
        MemorySegment.copy(seg, l3, s, o + 48, dataLen);
        icmp.wrap(s, o + 40);
        icmp.type(type);
        icmp.code(code);
        icmp.restOfHeader(info);
        finish(s, o, 8 + dataLen, 0, addr[0], addr[1], sHi, sLo, hopLimit);
        router.relatedTo(seg);
        send(s, o, 48 + dataLen, rt, sHi, sLo);
    }

    /** icmpv6_echo_reply: same identifier, sequence and data, from the address the request was sent to. */
    void echoReply(MemorySegment seg, long l3, long l4, int l4len) {
        in.wrap(seg, l3);
        long sHi = in.srcHi();
        long sLo = in.srcLo();
        Route rt = router.fib.lookup6(sHi, sLo, 0);
        if (rt == null || rt.type() != Route.UNICAST) {
            return;
        }
        MemorySegment s = scratch.segment();
        long o = Output.HEADROOM;
        MemorySegment.copy(seg, l4, s, o + 40, l4len);
        icmp.wrap(s, o + 40);
        icmp.type(Icmpv6View.ECHO_REPLY);
        icmp.code(0);
        finish(s, o, l4len, in.trafficClass(), in.dstHi(), in.dstLo(), sHi, sLo, hopLimit);
        send(s, o, 40 + l4len, rt, sHi, sLo);
    }

    /**
     * ndisc_send_na: answers a solicitation for our {@code target} on {@code dev}. Solicited (unless the
     * soliciting source was unspecified, then to all-nodes), router flag set since we forward, override and the
     * target link-layer option when the solicitation was multicast.
     */
    void neighbourAdvert(NetDevice dev, long tHi, long tLo, long dHi, long dLo, boolean inc) {
        boolean solicited = true;
        if (dHi == 0 && dLo == 0) {
            dHi = 0xff02_0000_0000_0000L;
            dLo = 1;
            solicited = false;
            inc = true;
        }
        MemorySegment s = scratch.segment();
        long o = Output.HEADROOM;
        int len = inc ? 32 : 24;
        icmp.wrap(s, o + 40);
        icmp.type(Icmpv6View.NEIGHBOUR_ADVERT);
        icmp.code(0);
        icmp.restOfHeader(0x8000_0000 | (solicited ? 0x4000_0000 : 0) | (inc ? 0x2000_0000 : 0));
        icmp.target(tHi, tLo);
        if (inc) {
            Bytes.setU8(s, o + 64, 2); // target link-layer address
            Bytes.setU8(s, o + 65, 1);
            Bytes.setU48(s, o + 66, dev.mac());
        }
        finish(s, o, len, 0, tHi, tLo, dHi, dLo, 255);
        // through the neighbour entry the solicitation created, as ndisc_send_skb does
        router.output.local6(s, o, 40 + len, dev, dHi, dLo, IpProto.ICMPV6);
    }

    /**
     * ndisc_send_redirect: tells the source of the packet at {@code l3} (which came in and would leave on
     * {@code dev}) that {@code target} is a better first hop for its destination. Sent from our link-local
     * address with hop limit 255, with the target's link-layer address when known and as much of the packet as
     * fits in 1280 bytes. Only for on-link targets (the destination itself, or a link-local router) and
     * on-link sources, limited to one a second per source.
     */
    void redirect(MemorySegment seg, long l3, int l3len, NetDevice dev, long tHi, long tLo) {
        long llHi = dev.linkLocalHi();
        long llLo = dev.linkLocalLo();
        if (llHi == 0) {
            return;
        }
        in.wrap(seg, l3);
        long dHi = in.dstHi();
        long dLo = in.dstLo();
        if (!(tHi == dHi && tLo == dLo) && !Ipv6Input.isLinkLocal(tHi)) {
            return; // "target address is not link-local unicast"
        }
        long sHi = in.srcHi();
        long sLo = in.srcLo();
        Route back = router.fib.lookup6(sHi, sLo, dev.ifindex());
        if (back == null || back.type() != Route.UNICAST || back.hasGateway() || back.device() != dev) {
            return; // "destination is not a neighbour"
        }
        if (!router.icmpRateLimit.peerAllow(sHi, sLo, 1_000_000_000L, router.now())) {
            return;
        }
        long tlla = router.neigh.mac6(dev.ifindex(), tHi, tLo);
        int optlen = tlla >= 0 ? 8 : 0;
        int rdLen = Math.min(IPV6_MIN_MTU - 40 - 40 - optlen, l3len + 8) & ~7;
        MemorySegment s = scratch.segment();
        long o = Output.HEADROOM;
        long m = o + 40;
        for (int i = 0; i < 40 + optlen + 8; i += 4) {
            Bytes.setU32(s, m + i, 0);
        }
        icmp.wrap(s, m);
        icmp.type(Icmpv6View.REDIRECT);
        icmp.code(0);
        icmp.target(tHi, tLo);
        Bytes.setU64(s, m + 24, dHi);
        Bytes.setU64(s, m + 32, dLo);
        long opt = m + 40;
        if (tlla >= 0) {
            Bytes.setU8(s, opt, 2); // target link-layer address
            Bytes.setU8(s, opt + 1, 1);
            Bytes.setU48(s, opt + 2, tlla);
            opt += 8;
        }
        Bytes.setU8(s, opt, 4); // redirected header
        Bytes.setU8(s, opt + 1, rdLen >> 3);
        MemorySegment.copy(seg, l3, s, opt + 8, rdLen - 8);
        int len = 40 + optlen + rdLen;
        finish(s, o, len, 0, llHi, llLo, sHi, sLo, 255);
        router.output.local6(s, o, 40 + len, dev, sHi, sLo, IpProto.ICMPV6);
    }

    void finish(MemorySegment s, long o, int payloadLen, int tclass, long sHi, long sLo, long dHi,
                        long dLo, int hops) {
        ip.wrap(s, o);
        Bytes.setU32(s, o, 0x6000_0000); // version 6, traffic class and flow label 0
        ip.trafficClass(tclass);
        ip.payloadLength(payloadLen);
        ip.nextHeader(IpProto.ICMPV6);
        ip.hopLimit(hops);
        ip.src(sHi, sLo);
        ip.dst(dHi, dLo);
        icmp.wrap(s, o + 40);
        icmp.checksum(0);
        long acc = Checksum.pseudoV6(sHi, sLo, dHi, dLo, IpProto.ICMPV6, payloadLen);
        icmp.checksum(Checksum.finish(Checksum.sum(s, o + 40, payloadLen, acc)));
    }

    private void send(MemorySegment s, long o, int len, Route rt, long dHi, long dLo) {
        long nhHi = rt.hasGateway() ? rt.gatewayHi() : dHi;
        long nhLo = rt.hasGateway() ? rt.gatewayLo() : dLo;
        router.output.local6(s, o, len, rt.device(), nhHi, nhLo, IpProto.ICMPV6);
    }
}
