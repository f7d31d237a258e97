package org.jnft.pipeline;

import java.lang.foreign.MemorySegment;
import org.jnft.conntrack.CtConst;
import org.jnft.conntrack.CtEntry;
import org.jnft.conntrack.CtTuple;
import org.jnft.packet.Bytes;
import org.jnft.route.NetDevice;
import org.jnft.route.Route;

/**
 * A packet the router made whose destination NAT changed at the output hook is routed again
 * (nf_nat_ipv4_local_fn / nf_nat_ipv6_local_fn -> ip_route_me_harder / nf_ip6_route_me_harder): its route
 * was chosen for the address the router's stack wrote, NAT may send it elsewhere. This happens to output
 * {@code dnat}, and to answers to connections source-NATed at input, whose destination output NAT turns back
 * into the far address. The new route replaces the caller's for postrouting and the way out.
 */
final class LocalReroute {
    static final int MOVED = 0;
    /** No route (or an error route) to the new destination: dropped, as ip_route_me_harder's error. */
    static final int NO_ROUTE = 1;
    /** The new destination is the router itself: Linux loops it back through lo, where nothing listens. */
    static final int LOCAL = 2;

    private final Router router;
    /** True when the packet of this localOut takes {@link #dev} and the next hop below. */
    boolean moved;
    NetDevice dev;
    int nexthop4;
    long nhHi;
    long nhLo;

    LocalReroute(Router router) {
        this.router = router;
    }

    /**
     * nf_nat_ipv4_local_fn's test: the destination of the packet's direction differs from the source of the
     * other one, i.e. NAT changed (or will restore) the destination address.
     */
    static boolean needed(CtEntry e, int ctinfo) {
        int dir = CtConst.dir(ctinfo);
        CtTuple mine = e.tuple(dir);
        CtTuple other = e.tuple(1 - dir);
        return mine.dstHi != other.srcHi || mine.dstLo != other.srcLo;
    }

    /** Looks the route up again for the packet's destination now (at {@code l3}). */
    int route(MemorySegment seg, long l3, boolean ipv6, NetDevice was) {
        Route rt;
        long dHi = 0;
        long dLo;
        if (ipv6) {
            dHi = Bytes.u64(seg, l3 + 24);
            dLo = Bytes.u64(seg, l3 + 32);
            // the old device narrows the lookup only for link-local and multicast destinations, as Linux
            boolean strict = (dHi >>> 56) == 0xff || (dHi >>> 54) == (0xfe80L >>> 6);
            rt = router.fib.lookup6(dHi, dLo, strict && was != null ? was.ifindex() : 0);
        } else {
            dLo = Bytes.u32(seg, l3 + 16) & 0xffff_ffffL;
            rt = router.fib.lookup4((int) dLo);
        }
        if (rt == null) {
            return NO_ROUTE;
        }
        if (rt.type() == Route.LOCAL) {
            return LOCAL;
        }
        if (rt.type() != Route.UNICAST || rt.device() == null) {
            return NO_ROUTE;
        }
        dev = rt.device();
        if (ipv6) {
            nhHi = rt.hasGateway() ? rt.gatewayHi() : dHi;
            nhLo = rt.hasGateway() ? rt.gatewayLo() : dLo;
        } else {
            nexthop4 = rt.hasGateway() ? rt.gateway4() : (int) dLo;
        }
        moved = true;
        return MOVED;
    }
}
