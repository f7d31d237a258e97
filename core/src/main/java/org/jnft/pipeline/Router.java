package org.jnft.pipeline;

import java.lang.foreign.MemorySegment;
import org.jnft.packet.EtherType;
import org.jnft.packet.EthernetView;
import org.jnft.packet.PacketBuffer;
import org.jnft.packet.PacketInfo;
import org.jnft.packet.PacketParser;
import org.jnft.packet.ParseStatus;
import org.jnft.route.Devices;
import org.jnft.route.Fib;
import org.jnft.route.NetDevice;
import org.jnft.route.Neighbours;
import org.jnft.vm.Engine;
import org.jnft.vm.NftPacket;
import org.jnft.vm.RulesetHolder;

/**
 * One router: its devices, FIB and neighbours, and the per-packet path of DESIGN.md from a device's ingress
 * to a transmit. Single-threaded: one data-plane thread owns a router and every mutable field below; the
 * control plane reaches it only through snapshots swapped between packets. Nothing here allocates per packet.
 */
public final class Router {

    /** pkt_type as the kernel derives it from the destination MAC (eth_type_trans). */
    static final int PACKET_HOST = 0;
    static final int PACKET_BROADCAST = 1;
    static final int PACKET_MULTICAST = 2;
    static final int PACKET_OTHERHOST = 3;

    final Devices devices;
    final Fib fib;
    final Neighbours neighbours;
    final Stats stats;
    final Output output;
    final IcmpRateLimit icmpRateLimit;
    final Icmp4 icmp4;
    final Icmp6 icmp6;
    final TcpReset tcpReset;
    final Hooks hooks;
    private final Ipv4Input ipv4;
    private final Ipv6Input ipv6;
    private final ArpInput arp;

    /** 802.1Q sub-interfaces by parent ifindex, then VLAN id (null rows for devices without any). */
    private final NetDevice[][] vlans;
    private final PacketInfo info = new PacketInfo();
    private final EthernetView eth = new EthernetView();
    private long now;

    public Router(Devices devices, Fib fib, Neighbours neighbours, Sysctl sysctl, Transmitter transmitter) {
        this(devices, fib, neighbours, sysctl, transmitter, new RulesetHolder());
    }

    /** A router whose policy is the ruleset generation {@code rules} holds (swapped in by the control plane). */
    public Router(Devices devices, Fib fib, Neighbours neighbours, Sysctl sysctl, Transmitter transmitter,
                  RulesetHolder rules) {
        this.devices = devices;
        this.fib = fib;
        this.neighbours = neighbours;
        int maxIndex = 1;
        for (NetDevice d : devices.links()) {
            maxIndex = Math.max(maxIndex, d.ifindex());
        }
        this.stats = new Stats(maxIndex);
        this.vlans = new NetDevice[maxIndex + 1][];
        for (NetDevice d : devices.links()) {
            if (d.isVlan()) {
                NetDevice[] row = vlans[d.parent().ifindex()];
                if (row == null) {
                    row = new NetDevice[4096];
                    vlans[d.parent().ifindex()] = row;
                }
                row[d.vlanId()] = d;
            }
        }
        this.hooks = new Hooks(this, rules);
        this.output = new Output(this, transmitter);
        this.icmpRateLimit = new IcmpRateLimit(sysctl);
        this.icmp4 = new Icmp4(this, sysctl);
        this.icmp6 = new Icmp6(this, sysctl);
        this.tcpReset = new TcpReset(this, sysctl);
        this.ipv4 = new Ipv4Input(this, sysctl);
        this.ipv6 = new Ipv6Input(this, sysctl);
        this.arp = new ArpInput(this);
    }

    /** The engine's clock, in nanoseconds: the virtual time in replay, the monotonic clock in the daemon. */
    public long now() {
        return now;
    }

    /**
     * Moves the clock to {@code nanos}, firing every timer due at or before it, in time order. Time never
     * goes backwards: an earlier value is ignored.
     */
    public void advanceTo(long nanos) {
        if (nanos > now) {
            now = nanos;
        }
    }

    /** What ruleset expressions see of the router: its clock, where log lines go. */
    public Engine engine() {
        return hooks.engine();
    }

    public Stats stats() {
        return stats;
    }

    public Devices devices() {
        return devices;
    }

    /**
     * A frame arrived on {@code pkt.ifindex}: the device's ingress, then the protocol handlers
     * (__netif_receive_skb -> ip_rcv / ipv6_rcv / arp_rcv).
     */
    public void receive(PacketBuffer pkt) {
        NetDevice dev = devices.byIndex(pkt.ifindex);
        if (dev == null) {
            return;
        }
        int length = pkt.length();
        stats.rx(dev.ifindex(), length);
        MemorySegment seg = pkt.segment();
        int base = pkt.offset();
        if (length < EthernetView.HEADER_LEN) {
            drop(dev, DropReason.PKT_TOO_SMALL);
            return;
        }
        int status = PacketParser.parse(seg, base, length, info);
        eth.wrap(seg, base);
        int pktType = pktType(eth.dst(), dev.mac());
        hooks.beginRx(seg, base, length, dev, pktType);
        if (!hooks.empty(NftPacket.NFPROTO_NETDEV, NftPacket.HOOK_INGRESS)) {
            if (status == ParseStatus.OK && (info.etherType == EtherType.IPV4 || info.etherType == EtherType.IPV6)) {
                hooks.rxLayer3(info, NftPacket.NFPROTO_NETDEV);
                hooks.rx.frameLength = length;
            }
            if (!hooks.run(hooks.rx, NftPacket.NFPROTO_NETDEV, NftPacket.HOOK_INGRESS)) {
                drop(dev, DropReason.NETFILTER_DROP);
                return;
            }
        }
        if (pktType == PACKET_OTHERHOST) {
            drop(dev, DropReason.OTHERHOST);
            return;
        }
        if (info.vlanCount > 0) {
            // vlan_do_receive: the tag selects the sub-interface; with none, Linux marks the frame
            // PACKET_OTHERHOST and IP drops it as such.
            NetDevice[] row = dev.ifindex() < vlans.length ? vlans[dev.ifindex()] : null;
            NetDevice sub = row == null ? null : row[info.vlanTci0 & 0xfff];
            if (sub == null || info.vlanCount > 1) {
                drop(dev, DropReason.OTHERHOST);
                return;
            }
            dev = sub;
            stats.rx(dev.ifindex(), length);
            hooks.rx.setIif(dev.ifindex(), dev.name());
        }
        switch (info.etherType) {
            case EtherType.IPV4 -> ipv4.receive(pkt, info, status, dev, pktType);
            case EtherType.IPV6 -> ipv6.receive(pkt, info, status, dev, pktType);
            case EtherType.ARP -> arp.receive(pkt, info, status, dev);
            default -> drop(dev, DropReason.UNHANDLED_PROTO);
        }
    }

    void drop(NetDevice dev, DropReason reason) {
        stats.drop(dev == null ? 0 : dev.ifindex(), reason);
    }

    /** eth_type_trans: broadcast, multicast (group bit), ours, or another host's. */
    static int pktType(long dstMac, long ourMac) {
        if (dstMac == 0xffff_ffff_ffffL) {
            return PACKET_BROADCAST;
        }
        if ((dstMac & 0x0100_0000_0000L) != 0) {
            return PACKET_MULTICAST;
        }
        return dstMac == ourMac ? PACKET_HOST : PACKET_OTHERHOST;
    }
}
