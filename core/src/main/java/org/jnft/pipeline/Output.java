package org.jnft.pipeline;

import java.lang.foreign.MemorySegment;
import org.jnft.packet.Bytes;
import org.jnft.packet.EtherType;
import org.jnft.packet.EthernetView;
import org.jnft.packet.Ipv4View;
import org.jnft.packet.PacketBuffer;
import org.jnft.route.NetDevice;
import org.jnft.vm.NftPacket;

/**
 * The last steps of the output path: IPv4 fragmentation (ip_finish_output / ip_do_fragment), neighbour
 * output (neigh_resolve_output: next hop to MAC) and the Ethernet header, then the device's transmit.
 * Every packet handed here has its IP header at {@code l3} with at least 14 bytes of headroom before it.
 */
final class Output {
    /** Headroom left in scratch buffers before the IP header: room for Ethernet plus two VLAN tags. */
    static final int HEADROOM = 64;

    private final Router router;
    private final Transmitter transmitter;
    private final EthernetView eth = new EthernetView();
    private final Ipv4View ip = new Ipv4View();
    private final Ipv4View frag = new Ipv4View();
    private final PacketBuffer fragBuffer = new PacketBuffer(65536 + 256);

    Output(Router router, Transmitter transmitter) {
        this.router = router;
        this.transmitter = transmitter;
    }

    /** A forwarded IPv4 datagram after the forward hook: postrouting, then out. */
    void forward4(MemorySegment seg, long l3, int l3len, NetDevice dev, int nexthop, int inIfindex) {
        if (!router.hooks.run(router.hooks.rx, NftPacket.NFPROTO_IPV4, NftPacket.HOOK_POSTROUTING)) {
            router.stats.drop(inIfindex, DropReason.NETFILTER_DROP);
            return;
        }
        ip4(seg, l3, l3len, dev, nexthop, inIfindex);
    }

    /** A forwarded IPv6 packet after the forward hook: postrouting, then out. */
    void forward6(MemorySegment seg, long l3, int l3len, NetDevice dev, long nhHi, long nhLo, int inIfindex) {
        if (!router.hooks.run(router.hooks.rx, NftPacket.NFPROTO_IPV6, NftPacket.HOOK_POSTROUTING)) {
            router.stats.drop(inIfindex, DropReason.NETFILTER_DROP);
            return;
        }
        ip6(seg, l3, l3len, dev, nhHi, nhLo, inIfindex);
    }

    /** An IPv4 datagram the router made (__ip_local_out): output and postrouting hooks, then out. */
    void local4(MemorySegment seg, long l3, int l3len, NetDevice dev, int nexthop, int l4proto) {
        if (localHooks(seg, l3, l3len, NftPacket.NFPROTO_IPV4, 20, l4proto, dev)) {
            ip4(seg, l3, l3len, dev, nexthop, 0);
        }
    }

    /** An IPv6 packet the router made (ip6_local_out): output and postrouting hooks, then out. */
    void local6(MemorySegment seg, long l3, int l3len, NetDevice dev, long nhHi, long nhLo, int l4proto) {
        if (localHooks(seg, l3, l3len, NftPacket.NFPROTO_IPV6, 40, l4proto, dev)) {
            ip6(seg, l3, l3len, dev, nhHi, nhLo, 0);
        }
    }

    /** As {@link #local6}, to a link-layer address already known (neighbour discovery answers). */
    void local6Ether(MemorySegment seg, long l3, int l3len, NetDevice dev, long dstMac) {
        if (localHooks(seg, l3, l3len, NftPacket.NFPROTO_IPV6, 40, org.jnft.packet.IpProto.ICMPV6, dev)) {
            ether(seg, l3, l3len, dev, dstMac, EtherType.IPV6);
        }
    }

    private boolean localHooks(MemorySegment seg, long l3, int l3len, int nfproto, int l4off, int l4proto,
                               NetDevice dev) {
        Hooks h = router.hooks;
        if (h.empty(nfproto, NftPacket.HOOK_OUTPUT) && h.empty(nfproto, NftPacket.HOOK_POSTROUTING)) {
            return true;
        }
        h.beginLocal(seg, l3, l3len, nfproto, l4off, l4proto, dev);
        if (!h.run(h.local, nfproto, NftPacket.HOOK_OUTPUT) || !h.run(h.local, nfproto, NftPacket.HOOK_POSTROUTING)) {
            router.stats.drop(0, DropReason.NETFILTER_DROP);
            return false;
        }
        return true;
    }

    /**
     * Sends an IPv4 datagram out of {@code dev} towards {@code nexthop}, fragmenting it when it exceeds the
     * device's MTU (callers have already refused DF datagrams that are too big).
     *
     * @param dropIfindex the device a drop is charged to (the input device, or 0 for the router's own)
     */
    void ip4(MemorySegment seg, long l3, int l3len, NetDevice dev, int nexthop, int dropIfindex) {
        long mac = router.neighbours.lookup4(dev.ifindex(), nexthop);
        if (mac < 0) {
            // Resolution (ARP requests, a queue per neighbour) comes with issue 3; a miss is a failure.
            router.stats.drop(dropIfindex, DropReason.NEIGH_FAILED);
            return;
        }
        if (l3len <= dev.mtu()) {
            ether(seg, l3, l3len, dev, mac, EtherType.IPV4);
            return;
        }
        fragment(seg, l3, l3len, dev, mac);
    }

    /** Sends an IPv6 packet out of {@code dev} towards the next hop {@code (nhHi, nhLo)}. */
    void ip6(MemorySegment seg, long l3, int l3len, NetDevice dev, long nhHi, long nhLo, int dropIfindex) {
        long mac;
        if ((nhHi >>> 56) == 0xff) {
            mac = 0x3333_0000_0000L | (nhLo & 0xffff_ffffL); // ipv6_eth_mc_map
        } else {
            mac = router.neighbours.lookup6(dev.ifindex(), nhHi, nhLo);
        }
        if (mac < 0) {
            router.stats.drop(dropIfindex, DropReason.NEIGH_FAILED);
            return;
        }
        ether(seg, l3, l3len, dev, mac, EtherType.IPV6);
    }

    /**
     * Writes the Ethernet header in front of {@code l3} and transmits; on an 802.1Q sub-interface the tag goes
     * in too and the frame leaves by the parent (vlan_dev_hard_start_xmit), counted on both.
     */
    void ether(MemorySegment seg, long l3, int l3len, NetDevice dev, long dstMac, int etherType) {
        NetDevice wire = dev;
        long frame;
        int len;
        if (dev.isVlan()) {
            frame = l3 - EthernetView.HEADER_LEN - 4;
            eth.wrap(seg, frame);
            eth.etherType(EtherType.VLAN);
            Bytes.setU16(seg, frame + 14, dev.vlanId());
            Bytes.setU16(seg, frame + 16, etherType);
            len = l3len + EthernetView.HEADER_LEN + 4;
            router.stats.tx(dev.ifindex(), len);
            wire = dev.parent();
        } else {
            frame = l3 - EthernetView.HEADER_LEN;
            eth.wrap(seg, frame);
            eth.etherType(etherType);
            len = l3len + EthernetView.HEADER_LEN;
        }
        eth.dst(dstMac);
        eth.src(dev.mac());
        router.stats.tx(wire.ifindex(), len);
        transmitter.transmit(wire, seg, frame, len, router.now());
    }

    /**
     * ip_do_fragment's slow path: every fragment carries at most MTU - header bytes, a multiple of 8 but the
     * last; options not marked "copied" are replaced by NOPs after the first fragment (ip_options_fragment).
     */
    private void fragment(MemorySegment seg, long l3, int l3len, NetDevice dev, long mac) {
        ip.wrap(seg, l3);
        int hlen = ip.headerLength();
        int mtu = dev.mtu();
        int left = l3len - hlen;
        int origOffset = ip.fragmentOffset();
        boolean origMf = ip.mf();
        int origFlags = ip.fragField() & 0x4000; // keep DF as it was (never set here)
        int chunkMax = (mtu - hlen) & ~7;
        if (chunkMax <= 0) {
            router.stats.drop(0, DropReason.PKT_TOO_BIG);
            return;
        }
        MemorySegment out = fragBuffer.segment();
        long fl3 = HEADROOM;
        int done = 0;
        boolean first = true;
        while (left > 0) {
            int len = Math.min(left, chunkMax);
            MemorySegment.copy(seg, l3, out, fl3, hlen);
            MemorySegment.copy(seg, l3 + hlen + done, out, fl3 + hlen, len);
            if (!first) {
                nopUncopiedOptions(out, fl3, hlen);
            }
            frag.wrap(out, fl3);
            left -= len;
            int off = (origOffset + done) >> 3;
            boolean mf = left > 0 || origMf;
            frag.fragField(origFlags | (mf ? 0x2000 : 0) | off);
            frag.totalLength(hlen + len);
            frag.fillChecksum();
            ether(out, fl3, hlen + len, dev, mac, EtherType.IPV4);
            done += len;
            first = false;
        }
    }

    /** ip_options_fragment: options without the copied flag become NOPs in later fragments. */
    private static void nopUncopiedOptions(MemorySegment s, long l3, int hlen) {
        int i = 20;
        while (i < hlen) {
            int type = Bytes.u8(s, l3 + i);
            if (type == 0) {
                return;
            }
            if (type == 1) {
                i++;
                continue;
            }
            if (i + 1 >= hlen) {
                return;
            }
            int olen = Bytes.u8(s, l3 + i + 1);
            if (olen < 2 || i + olen > hlen) {
                return;
            }
            if ((type & 0x80) == 0) {
                for (int k = 0; k < olen; k++) {
                    Bytes.setU8(s, l3 + i + k, 1);
                }
            }
            i += olen;
        }
    }
}
