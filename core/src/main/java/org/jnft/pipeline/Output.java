package org.jnft.pipeline;

import java.lang.foreign.MemorySegment;
import org.jnft.packet.Bytes;
import org.jnft.packet.EtherType;
import org.jnft.packet.EthernetView;
import org.jnft.route.NeighbourTable;
import org.jnft.route.NetDevice;
import org.jnft.vm.NftPacket;

/**
 * The last steps of the output path: refragmentation (ip_finish_output / ip_do_fragment, ip6_fragment), neighbour
 * output (neigh_resolve_output: next hop to MAC) and the Ethernet header, then the device's transmit.
 * Every packet handed here has its IP header at {@code l3} with at least 14 bytes of headroom before it.
 */
final class Output {
    /** Headroom left in scratch buffers before the IP header: room for Ethernet plus two VLAN tags. */
    static final int HEADROOM = 64;

    private final Router router;
    private final Transmitter transmitter;
    private final Ipv4Refragmenter refrag4 = new Ipv4Refragmenter();
    private final Ipv6Refragmenter refrag6 = new Ipv6Refragmenter();
    /** Where the fragment being emitted goes (one datagram is refragmented at a time). */
    private NetDevice fragDev;
    private int fragNexthop4;
    private long fragNhHi;
    private long fragNhLo;
    private boolean fragIpv6;
    private int fragDrop;
    private int fragId6;
    /** The metadata of packets the router makes: never reassembled. */
    final FragMeta localMeta = new FragMeta();
    /** Bound once: a method reference made per call would allocate. */
    private final FragmentSink fragmentSink = this::emitFragment;

    Output(Router router, Transmitter transmitter) {
        this.router = router;
        this.transmitter = transmitter;
    }

    /** A forwarded IPv4 datagram after the forward hook: postrouting, then out. */
    void forward4(MemorySegment seg, long l3, int l3len, NetDevice dev, int nexthop, int inIfindex) {
        if (!router.postrouting(seg, NftPacket.NFPROTO_IPV4, router.devices.byIndex(inIfindex))) {
            return;
        }
        ip4(seg, l3, l3len, dev, nexthop, inIfindex, router.rxMeta);
    }

    /** A forwarded IPv6 packet after the forward hook: postrouting, then out. */
    void forward6(MemorySegment seg, long l3, int l3len, NetDevice dev, long nhHi, long nhLo, int inIfindex) {
        if (!router.postrouting(seg, NftPacket.NFPROTO_IPV6, router.devices.byIndex(inIfindex))) {
            return;
        }
        ip6(seg, l3, l3len, dev, nhHi, nhLo, inIfindex, router.rxMeta);
    }

    /** An IPv4 datagram the router made (__ip_local_out): output and postrouting hooks, then out. */
    void local4(MemorySegment seg, long l3, int l3len, NetDevice dev, int nexthop, int l4proto) {
        if (router.localOut(seg, l3, l3len, NftPacket.NFPROTO_IPV4, dev)) {
            LocalReroute r = router.reroute;
            if (r.moved) {
                ip4(seg, l3, l3len, r.dev, r.nexthop4, 0, localMeta);
            } else {
                ip4(seg, l3, l3len, dev, nexthop, 0, localMeta);
            }
        }
    }

    /** An IPv6 packet the router made (ip6_local_out): output and postrouting hooks, then out. */
    void local6(MemorySegment seg, long l3, int l3len, NetDevice dev, long nhHi, long nhLo, int l4proto) {
        if (router.localOut(seg, l3, l3len, NftPacket.NFPROTO_IPV6, dev)) {
            LocalReroute r = router.reroute;
            if (r.moved) {
                ip6(seg, l3, l3len, r.dev, r.nhHi, r.nhLo, 0, localMeta);
            } else {
                ip6(seg, l3, l3len, dev, nhHi, nhLo, 0, localMeta);
            }
        }
    }

    /** As {@link #local6}, to a link-layer address already known (neighbour discovery answers). */
    void local6Ether(MemorySegment seg, long l3, int l3len, NetDevice dev, long dstMac) {
        if (router.localOut(seg, l3, l3len, NftPacket.NFPROTO_IPV6, dev)) {
            LocalReroute r = router.reroute;
            if (r.moved) {
                ip6(seg, l3, l3len, r.dev, r.nhHi, r.nhLo, 0, localMeta);
            } else {
                ether(seg, l3, l3len, dev, dstMac, EtherType.IPV6);
            }
        }
    }

    /**
     * Sends an IPv4 datagram out of {@code dev} towards {@code nexthop}: refragmented when longer than the MTU
     * or when it was reassembled (ip_finish_output -> ip_fragment, to min(MTU, largest fragment received)),
     * each fragment resolved on its own (ip_finish_output2 -> neigh_output). Callers have already refused DF
     * datagrams that are too big.
     *
     * @param dropIfindex the device a drop is charged to (the input device, or 0 for the router's own)
     */
    void ip4(MemorySegment seg, long l3, int l3len, NetDevice dev, int nexthop, int dropIfindex, FragMeta meta) {
        if (!Ipv4Refragmenter.mustFragment(l3len, dev.mtu(), meta)) {
            neigh4(seg, l3, l3len, dev, nexthop, dropIfindex);
            return;
        }
        fragDev = dev;
        fragNexthop4 = nexthop;
        fragIpv6 = false;
        fragDrop = dropIfindex;
        if (refrag4.fragment(seg, l3, l3len, dev.mtu(), meta, fragmentSink) != Ipv4Refragmenter.OK) {
            router.stats.drop(dropIfindex, DropReason.PKT_TOO_BIG);
        }
    }

    /** Sends an IPv6 packet out of {@code dev} towards the next hop (refragmented if it was reassembled). */
    void ip6(MemorySegment seg, long l3, int l3len, NetDevice dev, long nhHi, long nhLo, int dropIfindex,
             FragMeta meta) {
        if (!Ipv6Refragmenter.mustFragment(l3len, Math.max(dev.mtu(), 1280), meta)) {
            neigh6(seg, l3, l3len, dev, nhHi, nhLo, dropIfindex);
            return;
        }
        fragDev = dev;
        fragNhHi = nhHi;
        fragNhLo = nhLo;
        fragIpv6 = true;
        fragDrop = dropIfindex;
        fragId6 = fragId6 + 1;
        if (refrag6.fragment(seg, l3, l3len, Math.max(dev.mtu(), 1280), meta, fragId6, fragmentSink)
                != Ipv6Refragmenter.OK) {
            router.stats.drop(dropIfindex, DropReason.PKT_TOO_BIG);
        }
    }

    private void emitFragment(MemorySegment seg, long l3, int len) {
        if (fragIpv6) {
            neigh6(seg, l3, len, fragDev, fragNhHi, fragNhLo, fragDrop);
        } else {
            neigh4(seg, l3, len, fragDev, fragNexthop4, fragDrop);
        }
    }

    /** neigh_output: the next hop's MAC now, or the packet waits in the neighbour's queue. */
    private void neigh4(MemorySegment seg, long l3, int l3len, NetDevice dev, int nexthop, int dropIfindex) {
        if (nexthop == -1 || Ipv4Input.isMulticast(nexthop)) {
            long mac = nexthop == -1 ? 0xffff_ffff_ffffL : 0x0100_5e00_0000L | (nexthop & 0x7f_ffff);
            ether(seg, l3, l3len, dev, mac, EtherType.IPV4);
            return;
        }
        long mac = router.neigh.output4(dev, nexthop, seg, l3, l3len, dropIfindex, router.now());
        sendOrCount(seg, l3, l3len, dev, mac, EtherType.IPV4, dropIfindex);
    }

    private void neigh6(MemorySegment seg, long l3, int l3len, NetDevice dev, long nhHi, long nhLo, int dropIfindex) {
        if ((nhHi >>> 56) == 0xff) {
            ether(seg, l3, l3len, dev, 0x3333_0000_0000L | (nhLo & 0xffff_ffffL), EtherType.IPV6); // ipv6_eth_mc_map
            return;
        }
        long mac = router.neigh.output6(dev, nhHi, nhLo, seg, l3, l3len, dropIfindex, router.now());
        sendOrCount(seg, l3, l3len, dev, mac, EtherType.IPV6, dropIfindex);
    }

    private void sendOrCount(MemorySegment seg, long l3, int l3len, NetDevice dev, long mac, int etherType,
                             int dropIfindex) {
        if (mac >= 0) {
            ether(seg, l3, l3len, dev, mac, etherType);
        } else if (mac == NeighbourTable.DROP_FAILED) {
            router.stats.drop(dropIfindex, DropReason.NEIGH_FAILED);
        } else if (mac == NeighbourTable.DROP_CREATEFAIL) {
            router.stats.drop(dropIfindex, DropReason.NEIGH_CREATEFAIL);
        } else if (mac == NeighbourTable.DROP_NOBUF) {
            router.stats.drop(dropIfindex, DropReason.NEIGH_QUEUEFULL);
        }
        // NeighbourTable.QUEUED: a copy waits for the answer
    }

    /**
     * Writes the Ethernet header in front of {@code l3} and transmits; on an 802.1Q sub-interface the tag goes
     * in too and the frame leaves by the parent (vlan_dev_hard_start_xmit), counted on both.
     */
    void ether(MemorySegment seg, long l3, int l3len, NetDevice dev, long dstMac, int etherType) {
        NetDevice wire = dev;
        long frame;
        int len;
        long srcMac = dev.mac();
        if (dev.isVlan()) {
            frame = l3 - EthernetView.HEADER_LEN - 4;
            Bytes.setU32(seg, frame + 14, dev.vlanId() << 16 | etherType);
            etherType = EtherType.VLAN;
            len = l3len + EthernetView.HEADER_LEN + 4;
            router.stats.tx(dev.ifindex(), len);
            wire = dev.parent();
        } else {
            frame = l3 - EthernetView.HEADER_LEN;
            len = l3len + EthernetView.HEADER_LEN;
        }
        // destination MAC, source MAC and EtherType in two overlapping writes (every frame sent comes here)
        Bytes.setU64(seg, frame, dstMac << 16 | (srcMac >>> 32 & 0xffff));
        Bytes.setU64(seg, frame + 6, srcMac << 16 | (etherType & 0xffff));
        router.stats.tx(wire.ifindex(), len);
        transmitter.transmit(wire, seg, frame, len, router.now());
    }
}
