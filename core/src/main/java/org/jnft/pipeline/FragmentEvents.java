package org.jnft.pipeline;

import java.lang.foreign.MemorySegment;
import org.jnft.packet.IcmpView;
import org.jnft.packet.Icmpv6View;
import org.jnft.packet.Ipv4View;
import org.jnft.route.NetDevice;
import org.jnft.route.Route;

/**
 * What reassembly reports to the router: fragments freed on timeout or by ipfrag_max_dist (counted under
 * Linux's reasons), and expired queues whose first fragment had arrived (ip_expire / ip6frag_expire_frag_queue:
 * ICMP fragment reassembly time exceeded — for IPv4 only towards local destinations when conntrack's defrag
 * held the queue).
 */
final class FragmentEvents implements DefragEvents {
    private final Router router;
    private final Ipv4View ip = new Ipv4View();

    FragmentEvents(Router router) {
        this.router = router;
    }

    @Override
    public void fragmentsDropped(int ifindex, int reason, int count) {
        DropReason r = reason == DefragResult.TIMEOUT ? DropReason.FRAG_REASM_TIMEOUT : DropReason.FRAG_TOO_FAR;
        for (int i = 0; i < count; i++) {
            router.stats.drop(ifindex, r);
        }
    }

    @Override
    public void reassemblyTimeout(int user, int iif, MemorySegment seg, long l3, int length) {
        NetDevice dev = router.devices.byIndex(iif);
        if (dev == null) {
            return;
        }
        int version = (seg.get(java.lang.foreign.ValueLayout.JAVA_BYTE, l3) >> 4) & 0xf;
        if (version == 4) {
            ip.wrap(seg, l3);
            Route rt = router.fib.lookup4(ip.dst());
            boolean local = rt != null && rt.type() == Route.LOCAL;
            if (Ipv4Defrag.expireSkipsIcmp(user) && !local) {
                return;
            }
            router.icmp4.sendError(seg, l3, length, dev, IcmpView.TIME_EXCEEDED, 1, 0, local, Router.PACKET_HOST);
        } else {
            router.icmp6.sendError(seg, l3, length, dev, Icmpv6View.TIME_EXCEEDED, 1, 0, Router.PACKET_HOST, -1, -1);
        }
    }
}
