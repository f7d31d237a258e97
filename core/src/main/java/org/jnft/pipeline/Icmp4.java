package org.jnft.pipeline;

import java.lang.foreign.MemorySegment;
import org.jnft.packet.Bytes;
import org.jnft.packet.Checksum;
import org.jnft.packet.IcmpView;
import org.jnft.packet.IpProto;
import org.jnft.packet.Ipv4View;
import org.jnft.packet.PacketBuffer;
import org.jnft.route.NetDevice;
import org.jnft.route.Route;

/**
 * ICMP messages the router sends, as net/ipv4/icmp.c builds them: errors (__icmp_send) and echo replies
 * (icmp_reply). Built in a scratch buffer and sent through the output path.
 */
final class Icmp4 {
    /** icmp_send never builds an error larger than this (RFC 1812 4.3.2.3). */
    private static final int MAX_ERROR_LEN = 576;
    private static final int IPTOS_PREC_INTERNETCONTROL = 0xc0;
    private static final int IPTOS_TOS_MASK = 0x1e;

    private final Router router;
    private final int defaultTtl;
    private final boolean errorsUseInboundIfaddr;
    private final long ratelimitNanos;
    private final int ratemask;
    private final PacketBuffer scratch = new PacketBuffer(65536 + 256);
    private final Ipv4View in = new Ipv4View();
    private final Ipv4View ip = new Ipv4View();
    private final IcmpView icmp = new IcmpView();
    private final IcmpView inner = new IcmpView();
    private int ident;

    Icmp4(Router router, Sysctl sysctl) {
        this.router = router;
        this.defaultTtl = sysctl.getInt("net.ipv4.ip_default_ttl");
        this.errorsUseInboundIfaddr = sysctl.getInt("net.ipv4.icmp_errors_use_inbound_ifaddr") != 0;
        this.ratelimitNanos = sysctl.get("net.ipv4.icmp_ratelimit") * 1_000_000L;
        this.ratemask = sysctl.getInt("net.ipv4.icmp_ratemask");
    }

    /** True for the ICMP types that are errors (icmp_pointers[type].error). */
    static boolean isError(int type) {
        return type == IcmpView.DEST_UNREACH || type == 4 || type == IcmpView.REDIRECT
                || type == IcmpView.TIME_EXCEEDED || type == IcmpView.PARAMETER_PROBLEM;
    }

    /**
     * __icmp_send: an error about the datagram at {@code l3} ({@code l3len} bytes, as received) that came in
     * on {@code inDev}. {@code info} is the 32-bit rest of the header (next-hop MTU for fragmentation
     * needed). {@code toLocal} tells whether the offending datagram was addressed to the router.
     */
    void sendError(MemorySegment seg, long l3, int l3len, NetDevice inDev, int type, int code, int info,
                   boolean toLocal, int pktType) {
        in.wrap(seg, l3);
        if (pktType != Router.PACKET_HOST || in.fragmentOffset() != 0) {
            return; // only unicast datagrams, and only the first fragment
        }
        int offenderSrc = in.src();
        if (offenderSrc == 0 || offenderSrc == -1 || (offenderSrc >>> 28) == 0xe) {
            return;
        }
        int ihl = in.headerLength();
        if (in.protocol() == IpProto.ICMP && isError(type)) {
            if (l3len < ihl + 1) {
                return;
            }
            inner.wrap(seg, l3 + ihl);
            int innerType = inner.type();
            if (innerType > 18 || isError(innerType)) {
                return; // never an error about an error
            }
        }
        // icmpv4_global_allow: types outside icmp_ratemask, and fragmentation needed, are never limited.
        boolean limited = type <= 18 && !(type == IcmpView.DEST_UNREACH && code == 4) && ((1 << type) & ratemask) != 0;
        long now = router.now();
        if (limited && !router.icmpRateLimit.globalAllow(now)) {
            return;
        }
        Route rt = router.fib.lookup4(offenderSrc);
        if (rt == null || rt.type() != Route.UNICAST) {
            return;
        }
        if (limited) { // icmpv4_xrlim_allow
            if (!router.icmpRateLimit.peerAllow(IcmpRateLimit.IPV4, offenderSrc, ratelimitNanos, now)) {
                return;
            }
            router.icmpRateLimit.globalConsume();
        }
        NetDevice out = rt.device();
        int saddr;
        if (toLocal) {
            saddr = in.dst();
        } else if (errorsUseInboundIfaddr && inDev != null) {
            saddr = inDev.ipv4SourceFor(offenderSrc);
        } else {
            saddr = out.ipv4SourceFor(rt.hasGateway() ? rt.gateway4() : offenderSrc);
        }
        int room = Math.min(MAX_ERROR_LEN, out.mtu()) - 20 - 8;
        int dataLen = Math.min(l3len, room);
        int tos = (in.tos() & IPTOS_TOS_MASK) | IPTOS_PREC_INTERNETCONTROL;

        MemorySegment s = scratch.segment();
        long o = Output.HEADROOM;
        MemorySegment.copy(seg, l3, s, o + 28, dataLen);
        buildIpHeader(s, o, 28 + dataLen, tos, saddr, offenderSrc);
        icmp.wrap(s, o + 20);
        icmp.type(type);
        icmp.code(code);
        icmp.restOfHeader(info);
        icmp.checksum(0);
        icmp.checksum(Checksum.finish(Checksum.sum(s, o + 20, 8 + dataLen, 0)));
        router.relatedTo(seg);
        send(s, o, 28 + dataLen, rt, offenderSrc);
    }

    /**
     * icmp_echo / icmp_reply: answers the echo request at {@code l3} from the address it was sent to, with the
     * request's TOS, identifier, sequence and data.
     */
    void echoReply(MemorySegment seg, long l3, int l3len) {
        in.wrap(seg, l3);
        int ihl = in.headerLength();
        int icmpLen = l3len - ihl;
        if (icmpLen < 8) {
            return;
        }
        int dst = in.src();
        Route rt = router.fib.lookup4(dst);
        if (rt == null || rt.type() != Route.UNICAST) {
            return;
        }
        MemorySegment s = scratch.segment();
        long o = Output.HEADROOM;
        MemorySegment.copy(seg, l3 + ihl, s, o + 20, icmpLen);
        buildIpHeader(s, o, 20 + icmpLen, in.tos(), in.dst(), dst);
        icmp.wrap(s, o + 20);
        icmp.type(IcmpView.ECHO_REPLY);
        icmp.code(0);
        icmp.checksum(0);
        icmp.checksum(Checksum.finish(Checksum.sum(s, o + 20, icmpLen, 0)));
        send(s, o, 20 + icmpLen, rt, dst);
    }

    private void buildIpHeader(MemorySegment s, long o, int totalLength, int tos, int saddr, int daddr) {
        ip.wrap(s, o);
        Bytes.setU8(s, o, 0x45);
        ip.tos(tos);
        ip.totalLength(totalLength);
        ip.id(nextIdent());
        ip.fragField(0); // the ICMP socket uses IP_PMTUDISC_DONT: never DF
        ip.ttl(defaultTtl);
        ip.protocol(IpProto.ICMP);
        ip.src(saddr);
        ip.dst(daddr);
        ip.fillChecksum();
    }

    /**
     * Linux picks IP ids for non-DF datagrams from a hashed, randomly seeded counter (ip_select_ident); we use
     * a plain counter so that runs are reproducible. Oracle comparisons ignore the id.
     */
    private int nextIdent() {
        ident = (ident + 1) & 0xffff;
        return ident;
    }

    private void send(MemorySegment s, long o, int len, Route rt, int dst) {
        int nexthop = rt.hasGateway() ? rt.gateway4() : dst;
        router.output.local4(s, o, len, rt.device(), nexthop, IpProto.ICMP);
    }
}
