package org.jnft.pipeline;

import java.lang.foreign.MemorySegment;
import org.jnft.packet.Bytes;
import org.jnft.packet.Checksum;
import org.jnft.packet.IpProto;
import org.jnft.packet.Ipv4View;
import org.jnft.packet.Ipv6View;
import org.jnft.packet.PacketBuffer;
import org.jnft.packet.TcpView;
import org.jnft.route.Route;

/**
 * tcp_v4_send_reset / tcp_v6_send_reset for segments to the router's own addresses, where nothing listens:
 * a bare RST (seq = the segment's ack) when it carried ACK, else RST+ACK acknowledging everything it held.
 * Sent from the per-CPU control socket: IPv4 with DF and id 0, TTL 64; the segment's TOS / traffic class
 * without the ECN bits.
 */
final class TcpReset {
    private final Router router;
    private final int ttl;
    private final int hopLimit;
    private final PacketBuffer scratch = new PacketBuffer(256);
    private final TcpView in = new TcpView();
    private final TcpView out = new TcpView();
    private final Ipv4View ip4 = new Ipv4View();
    private final Ipv4View in4 = new Ipv4View();
    private final Ipv6View ip6 = new Ipv6View();
    private final Ipv6View in6 = new Ipv6View();

    TcpReset(Router router, Sysctl sysctl) {
        this.router = router;
        this.ttl = sysctl.getInt("net.ipv4.ip_default_ttl");
        this.hopLimit = sysctl.getInt("net.ipv6.conf.all.hop_limit");
    }

    void send4(MemorySegment seg, long l3, long l4, int l4len) {
        in4.wrap(seg, l3);
        in.wrap(seg, l4);
        if ((in.flags() & TcpView.RST) != 0) {
            return;
        }
        int dst = in4.src();
        Route rt = router.fib.lookup4(dst);
        if (rt == null || rt.type() != Route.UNICAST) {
            return;
        }
        MemorySegment s = scratch.segment();
        long o = Output.HEADROOM;
        ip4.wrap(s, o);
        Bytes.setU8(s, o, 0x45);
        ip4.tos(in4.tos() & ~3);
        ip4.totalLength(40);
        ip4.id(0);
        ip4.fragField(0x4000);
        ip4.ttl(ttl);
        ip4.protocol(IpProto.TCP);
        ip4.src(in4.dst());
        ip4.dst(dst);
        ip4.fillChecksum();
        fill(s, o + 20, l4len);
        out.checksum(Checksum.finish(Checksum.sum(s, o + 20, 20, Checksum.pseudoV4(in4.dst(), dst, IpProto.TCP, 20))));
        int nexthop = rt.hasGateway() ? rt.gateway4() : dst;
        router.output.local4(s, o, 40, rt.device(), nexthop, IpProto.TCP);
    }

    void send6(MemorySegment seg, long l3, long l4, int l4len) {
        in6.wrap(seg, l3);
        in.wrap(seg, l4);
        if ((in.flags() & TcpView.RST) != 0) {
            return;
        }
        long dHi = in6.srcHi();
        long dLo = in6.srcLo();
        Route rt = router.fib.lookup6(dHi, dLo, 0);
        if (rt == null || rt.type() != Route.UNICAST) {
            return;
        }
        MemorySegment s = scratch.segment();
        long o = Output.HEADROOM;
        ip6.wrap(s, o);
        Bytes.setU32(s, o, 0x6000_0000);
        ip6.trafficClass(in6.trafficClass() & ~3);
        ip6.payloadLength(20);
        ip6.nextHeader(IpProto.TCP);
        ip6.hopLimit(hopLimit);
        ip6.src(in6.dstHi(), in6.dstLo());
        ip6.dst(dHi, dLo);
        fill(s, o + 40, l4len);
        long acc = Checksum.pseudoV6(in6.dstHi(), in6.dstLo(), dHi, dLo, IpProto.TCP, 20);
        out.checksum(Checksum.finish(Checksum.sum(s, o + 40, 20, acc)));
        long nhHi = rt.hasGateway() ? rt.gatewayHi() : dHi;
        long nhLo = rt.hasGateway() ? rt.gatewayLo() : dLo;
        router.output.local6(s, o, 60, rt.device(), nhHi, nhLo, IpProto.TCP);
    }

    /** The RST's TCP header from the offending segment {@code in}. */
    private void fill(MemorySegment s, long l4, int l4len) {
        out.wrap(s, l4);
        for (int i = 0; i < 20; i += 4) {
            Bytes.setU32(s, l4 + i, 0);
        }
        out.sport(in.dport());
        out.dport(in.sport());
        Bytes.setU8(s, l4 + 12, 5 << 4);
        int flags = in.flags();
        if ((flags & TcpView.ACK) != 0) {
            out.seq(in.ack());
            out.flags(TcpView.RST);
        } else {
            int len = l4len - in.headerLength();
            int consumed = len + ((flags & TcpView.SYN) != 0 ? 1 : 0) + ((flags & TcpView.FIN) != 0 ? 1 : 0);
            out.ack(in.seq() + consumed);
            out.flags(TcpView.RST | TcpView.ACK);
        }
        out.checksum(0);
    }
}
