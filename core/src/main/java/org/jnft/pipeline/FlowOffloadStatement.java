package org.jnft.pipeline;

import static org.jnft.conntrack.CtConst.IPS_NAT_CLASH;
import static org.jnft.conntrack.CtConst.IPS_NAT_MASK;
import static org.jnft.conntrack.CtConst.IPS_OFFLOAD;
import static org.jnft.conntrack.CtConst.IPS_SEQ_ADJUST;

import java.lang.foreign.MemorySegment;
import org.jnft.conntrack.CtConst;
import org.jnft.conntrack.CtEntry;
import org.jnft.conntrack.CtTuple;
import org.jnft.flowtable.FlowRoute;
import org.jnft.flowtable.Flowtable;
import org.jnft.packet.Bytes;
import org.jnft.packet.IpProto;
import org.jnft.route.NetDevice;
import org.jnft.route.Route;
import org.jnft.vm.Engine;
import org.jnft.vm.NftPacket;

/**
 * {@code flow add @ft} on the router (nft_flow_offload_eval): the kernel's conditions, the routes of both
 * directions (nft_flow_route: this packet's route, and a route back to its originator), then
 * {@link org.jnft.flowtable.FlowCore#add}. The packet itself goes on along the classic path.
 */
final class FlowOffloadStatement implements Engine.FlowOffloadAction {
    private final Router router;

    FlowOffloadStatement(Router router) {
        this.router = router;
    }

    @Override
    public boolean offload(int flowtableIndex, NftPacket p) {
        Flowtable ft = router.flowtables.forIndex(flowtableIndex);
        if (ft == null || p.hook != NftPacket.HOOK_FORWARD || p.ct == null || p.ct.ct == null
                || router.fwdRoute == null) {
            return false;
        }
        CtEntry e = p.ct.ct;
        boolean v6 = p.nfproto == NftPacket.NFPROTO_IPV6;
        MemorySegment seg = p.segment;
        long l3 = p.frameOffset + p.networkOffset;
        long l4 = p.frameOffset + p.transportOffset;
        if (!v6 && (Bytes.u8(seg, l3) & 0x0f) != 5) {
            return false; // nft_flow_offload_skip: IPv4 options
        }
        if (p.transportOffset < 0 || p.fragment || !ft.accepts(v6)) {
            return false;
        }
        switch (e.orig.proto) {
            case IpProto.TCP -> {
                int flags = Bytes.u8(seg, l4 + 13);
                if ((flags & 0x05) != 0 || e.tcpState() != CtConst.TCP_ESTABLISHED || !e.isAssured()) {
                    return false; // FIN/RST, or not established and assured
                }
            }
            case IpProto.UDP -> { }
            case IpProto.GRE -> {
                if ((e.status & IPS_NAT_MASK) != 0 || (Bytes.u16(seg, l4) & 0x7) != 0) {
                    return false; // GRE version 0 without NAT only
                }
            }
            default -> {
                return false;
            }
        }
        if ((e.status & (IPS_SEQ_ADJUST | IPS_NAT_CLASH)) != 0 || !e.isConfirmed()
                || (e.status & IPS_OFFLOAD) != 0) {
            return false;
        }
        e.status |= IPS_OFFLOAD;
        int dir = p.ct.direction();
        if (!route(e, dir, v6) || !router.flowtables.core.add(ft, e, router.flowtables.route, router.now())) {
            e.status &= ~IPS_OFFLOAD;
            return false;
        }
        return true;
    }

    /** nft_flow_route: fills the flow's routes; false when there is no route back to the originator. */
    private boolean route(CtEntry e, int dir, boolean v6) {
        FlowRoute r = router.flowtables.route;
        r.clear();
        Route fwd = router.fwdRoute;
        NetDevice out = fwd.device();
        CtTuple here = e.tuple(dir);
        CtTuple back = e.tuple(dir ^ 1);
        // the route back to whoever sent this packet
        Route rev = v6 ? router.fib.lookup6(here.srcHi, here.srcLo) : router.fib.lookup4((int) here.srcLo);
        if (rev == null || rev.type() != Route.UNICAST) {
            return false;
        }
        NetDevice revDev = rev.device();
        int other = dir ^ 1;
        r.iif[dir] = revDev.ifindex();
        r.oif[dir] = out.ifindex();
        r.mtu[dir] = v6 ? Math.max(out.mtu(), NetDevice.IPV6_MIN_MTU) : out.mtu();
        r.iif[other] = out.ifindex();
        r.oif[other] = revDev.ifindex();
        r.mtu[other] = v6 ? Math.max(revDev.mtu(), NetDevice.IPV6_MIN_MTU) : revDev.mtu();
        // next hops: the gateway, else the direction's destination after NAT (the other tuple's source)
        if (v6) {
            long h = fwd.hasGateway() ? fwd.gatewayHi() : back.srcHi;
            long l = fwd.hasGateway() ? fwd.gatewayLo() : back.srcLo;
            r.nexthopHi[dir] = h;
            r.nexthopLo[dir] = l;
            r.mac[dir] = router.neigh.mac6(out.ifindex(), h, l);
            long h2 = rev.hasGateway() ? rev.gatewayHi() : here.srcHi;
            long l2 = rev.hasGateway() ? rev.gatewayLo() : here.srcLo;
            r.nexthopHi[other] = h2;
            r.nexthopLo[other] = l2;
            r.mac[other] = router.neigh.mac6(revDev.ifindex(), h2, l2);
        } else {
            int nh = fwd.hasGateway() ? fwd.gateway4() : (int) back.srcLo;
            r.nexthop4[dir] = nh;
            r.mac[dir] = router.neigh.mac4(out.ifindex(), nh);
            int nh2 = rev.hasGateway() ? rev.gateway4() : (int) here.srcLo;
            r.nexthop4[other] = nh2;
            r.mac[other] = router.neigh.mac4(revDev.ifindex(), nh2);
        }
        r.fibGeneration = router.fibGeneration;
        return true;
    }
}
