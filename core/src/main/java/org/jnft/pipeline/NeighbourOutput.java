package org.jnft.pipeline;

import java.lang.foreign.MemorySegment;
import org.jnft.packet.ArpView;
import org.jnft.packet.Bytes;
import org.jnft.packet.EtherType;
import org.jnft.packet.Icmpv6View;
import org.jnft.packet.IpProto;
import org.jnft.packet.Ipv4View;
import org.jnft.packet.Ipv6View;
import org.jnft.packet.PacketBuffer;
import org.jnft.route.NeighbourTable;
import org.jnft.route.NetDevice;

/**
 * What the neighbour table asks of the wire: solicitations (arp_solicit, ndisc_solicit), queued packets
 * released once their next hop answered, and queued packets that die (with the ICMP error Linux's
 * error_report sends when resolution failed).
 */
final class NeighbourOutput implements NeighbourTable.Events {
    private final Router router;
    private final PacketBuffer scratch = new PacketBuffer(512);
    private final ArpView arp = new ArpView();
    private final Ipv4View ip4 = new Ipv4View();
    private final Ipv6View ip6 = new Ipv6View();
    private final Icmpv6View icmp6 = new Icmpv6View();
    private final long[] addr = new long[2];

    NeighbourOutput(Router router) {
        this.router = router;
    }

    /** arp_solicit: who-has target, from the queued packet's source when it is ours (arp_announce 0). */
    @Override
    public void solicit4(NetDevice dev, int target, long unicastMac, PacketBuffer tail) {
        int sip = 0;
        if (tail != null) {
            ip4.wrap(tail.segment(), tail.offset());
            if (router.devices.isLocalIpv4(ip4.src())) {
                sip = ip4.src();
            }
        }
        if (sip == 0) {
            sip = dev.ipv4SourceFor(target);
        }
        MemorySegment s = scratch.segment();
        long o = Output.HEADROOM;
        arp.wrap(s, o);
        arp.htype(1);
        arp.ptype(EtherType.IPV4);
        arp.hlen(6);
        arp.plen(4);
        arp.op(ArpView.OP_REQUEST);
        arp.sha(dev.mac());
        arp.spa(sip);
        arp.tha(0);
        arp.tpa(target);
        router.output.ether(s, o, 28, dev, unicastMac < 0 ? 0xffff_ffff_ffffL : unicastMac, EtherType.ARP);
    }

    /** ndisc_solicit: an NS with our link-layer address, to the solicited-node group or the target itself. */
    @Override
    public void solicit6(NetDevice dev, long hi, long lo, long unicastMac, PacketBuffer tail) {
        long sHi = 0;
        long sLo = 0;
        boolean have = false;
        if (tail != null) {
            ip6.wrap(tail.segment(), tail.offset());
            if (dev.hasIpv6(ip6.srcHi(), ip6.srcLo())) {
                sHi = ip6.srcHi();
                sLo = ip6.srcLo();
                have = true;
            }
        }
        if (!have) {
            if (dev.linkLocalHi() == 0) {
                return;
            }
            sHi = dev.linkLocalHi();
            sLo = dev.linkLocalLo();
        }
        long dHi = hi;
        long dLo = lo;
        long mac = unicastMac;
        if (unicastMac < 0) {
            dHi = 0xff02_0000_0000_0000L;
            dLo = 0x0000_0001_ff00_0000L | (lo & 0xff_ffff);
            mac = 0x3333_ff00_0000L | (lo & 0xff_ffff);
        }
        MemorySegment s = scratch.segment();
        long o = Output.HEADROOM;
        long m = o + 40;
        for (int i = 0; i < 32; i += 4) {
            Bytes.setU32(s, m + i, 0);
        }
        icmp6.wrap(s, m);
        icmp6.type(Icmpv6View.NEIGHBOUR_SOLICIT);
        icmp6.target(hi, lo);
        Bytes.setU8(s, m + 24, 1); // source link-layer address
        Bytes.setU8(s, m + 25, 1);
        Bytes.setU48(s, m + 26, dev.mac());
        router.icmp6.finish(s, o, 32, 0, sHi, sLo, dHi, dLo, 255);
        router.output.local6Ether(s, o, 72, dev, mac);
    }

    @Override
    public void release(NetDevice dev, boolean ipv6, PacketBuffer pkt, long mac) {
        router.output.ether(pkt.segment(), pkt.offset(), pkt.length(), dev, mac,
                ipv6 ? EtherType.IPV6 : EtherType.IPV4);
    }

    @Override
    public void dropped(NetDevice dev, boolean ipv6, PacketBuffer pkt, int why) {
        switch (why) {
            case NeighbourTable.WHY_QUEUEFULL -> router.stats.drop(pkt.ifindex, DropReason.NEIGH_QUEUEFULL);
            case NeighbourTable.WHY_FAILED -> {
                // arp_error_report / ndisc_error_report -> dst_link_failure: host / address unreachable.
                MemorySegment s = pkt.segment();
                long l3 = pkt.offset();
                if (ipv6) {
                    ip6.wrap(s, l3);
                    int next = ip6.nextHeader();
                    router.icmp6.sendError(s, l3, pkt.length(), router.devices.byIndex(pkt.ifindex),
                            Icmpv6View.DEST_UNREACH, 3, 0, Router.PACKET_HOST, next == IpProto.ICMPV6 ? next : -1,
                            next == IpProto.ICMPV6 ? l3 + 40 : -1);
                } else {
                    router.icmp4.sendError(s, l3, pkt.length(), router.devices.byIndex(pkt.ifindex),
                            org.jnft.packet.IcmpView.DEST_UNREACH, 1, 0, false, Router.PACKET_HOST);
                }
                router.stats.drop(pkt.ifindex, DropReason.NEIGH_FAILED);
            }
            default -> router.stats.drop(pkt.ifindex, DropReason.NOT_SPECIFIED);
        }
    }

    /** The flowtable's cached next-hop MACs follow the neighbour (a route change would tear flows down instead). */
    @Override
    public void lladdrChanged(NetDevice dev, boolean ipv6, long hi, long lo, long mac) {
        router.flowtables.neighbourChanged(dev.ifindex(), ipv6, hi, lo, mac);
    }
}
