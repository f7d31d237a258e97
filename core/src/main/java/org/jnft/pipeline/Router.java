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
import org.jnft.route.Route;
import org.jnft.conntrack.Conntrack;
import org.jnft.conntrack.CtConst;
import org.jnft.conntrack.PacketCt;
import org.jnft.nat.NatCore;
import org.jnft.nat.NatHook;
import org.jnft.packet.Bytes;
import org.jnft.route.NeighbourParams;
import org.jnft.route.NeighbourTable;
import org.jnft.route.NetConfig;
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
    /** The FIB; replaced whole when routes change ({@link #replaceFib}), which tears offloaded flows down. */
    Fib fib;
    /** Bumped by every route change: flows remember the generation their routes came from. */
    int fibGeneration;
    final NeighbourTable neigh;
    final Conntrack ct;
    final NatCore natCore = new NatCore(0);
    /** The packet being made is an ICMP error or reject reset about the received one (see {@link #relatedTo}). */
    private boolean attachRx;
    /** Where a packet the router made goes when output NAT changed its destination. */
    final LocalReroute reroute = new LocalReroute(this);
    /** A parse of the packet the router is making, for conntrack at the output hook. */
    private final PacketInfo localInfo = new PacketInfo();
    final Ipv4Defrag defrag4;
    final Ipv6Defrag defrag6;
    /** GC runs every second from the first frame (flowtable and conntrack GC hang off it). */
    private long nextGc = Long.MAX_VALUE;
    final Stats stats;
    final Output output;
    final IcmpRateLimit icmpRateLimit;
    final Icmp4 icmp4;
    final Icmp6 icmp6;
    final TcpReset tcpReset;
    final NfReject nfReject;
    final Hooks hooks;
    final Flowtables flowtables;
    /** The route of the packet in the forward hook (what {@code flow add} needs); null elsewhere. */
    Route fwdRoute;
    private final Ipv4Input ipv4;
    private final Ipv6Input ipv6;
    private final ArpInput arp;

    /** 802.1Q sub-interfaces by parent ifindex, then VLAN id (null rows for devices without any). */
    private final NetDevice[][] vlans;
    private final PacketInfo info = new PacketInfo();
    /** Where reassembly leaves a complete datagram, and what it learnt about its fragments. */
    final PacketBuffer reasmBuf = new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY);
    final FragMeta rxMeta = new FragMeta();
    private final EthernetView eth = new EthernetView();
    private long now;

    public Router(NetConfig net, Sysctl sysctl, Transmitter transmitter) {
        this(net, sysctl, transmitter, new RulesetHolder());
    }

    /**
     * A router on the network {@code net} (devices, routes, static neighbours) whose policy is the ruleset
     * generation {@code rules} holds (swapped in by the control plane).
     */
    public Router(NetConfig net, Sysctl sysctl, Transmitter transmitter, RulesetHolder rules) {
        Devices devices = net.devices();
        this.devices = devices;
        this.fib = net.fib();
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
        this.ct = new Conntrack(sysctl.conntrackParams());
        this.flowtables = new Flowtables(this, new org.jnft.flowtable.FlowTimeouts(
                sysctl.get("net.netfilter.nf_flowtable_tcp_timeout"), sysctl.get("net.netfilter.nf_flowtable_udp_timeout")));
        this.neigh = new NeighbourTable(NeighbourParams.fromSysctl(false, sysctl::get),
                NeighbourParams.fromSysctl(true, sysctl::get), new NeighbourOutput(this), 64L << 20);
        neigh.addPermanent(net);
        DefragEvents fragEvents = new FragmentEvents(this);
        this.defrag4 = Ipv4Defrag.fromSysctl(sysctl, fragEvents);
        this.defrag6 = Ipv6Defrag.fromSysctl(sysctl, fragEvents);
        this.hooks = new Hooks(this, rules);
        hooks.engine().nat = new NatStatement(this);
        hooks.engine().flowOffload = new FlowOffloadStatement(this);
        this.output = new Output(this, transmitter);
        this.icmpRateLimit = new IcmpRateLimit(sysctl);
        this.icmp4 = new Icmp4(this, sysctl);
        this.icmp6 = new Icmp6(this, sysctl);
        this.tcpReset = new TcpReset(this, sysctl);
        this.nfReject = new NfReject(this, sysctl);
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
        if (nextGc == Long.MAX_VALUE) {
            nextGc = nanos + 1_000_000_000L;
        }
        while (true) {
            long t = Math.min(Math.min(neigh.nextDeadline(), nextGc),
                    Math.min(defrag4.nextDeadline(), defrag6.nextDeadline()));
            if (t > nanos) {
                break;
            }
            if (t > now) {
                now = t;
            }
            if (t == nextGc) {
                nextGc += 1_000_000_000L;
                flowtables.gc(t); // nf_flow_offload_work_gc, then conntrack's GC
                ct.expire(t);
            } else if (t == neigh.nextDeadline()) {
                neigh.expire(t);
            } else if (t == defrag4.nextDeadline()) {
                defrag4.expire(t);
            } else {
                defrag6.expire(t);
            }
        }
        if (nanos > now) {
            now = nanos;
        }
    }

    /**
     * The end of a run: packets still waiting for a neighbour are dropped (DESIGN: they count as dropped).
     */
    public void finish() {
        neigh.purgeQueues();
    }

    /** Reassembly runs only where conntrack does, per family, as in Linux (nf_defrag_ipv4 / nf_defrag_ipv6). */
    boolean defragIpv4() {
        return hooks.conntrack(false);
    }

    boolean defragIpv6() {
        return hooks.conntrack(true);
    }

    /** conntrack -L's lines at the current time (empty when conntrack never ran). */
    public java.util.List<String> conntrackLines() {
        return ct.list(now);
    }

    /**
     * Prerouting for a received IPv4/IPv6 packet: chains below conntrack's priority (-200), nf_conntrack_in
     * when this family tracks, then the rest. False (and counted) when the packet is dropped.
     */
    boolean prerouting(MemorySegment seg, PacketInfo pi, int family, NetDevice dev) {
        NftPacket p = hooks.rx;
        if (!hooks.conntrack(family == NftPacket.NFPROTO_IPV6)) {
            if (hooks.run(p, family, NftPacket.HOOK_PREROUTING)) {
                return true;
            }
            drop(dev, DropReason.NETFILTER_DROP);
            return false;
        }
        if (!hooks.run(p, family, NftPacket.HOOK_PREROUTING, Integer.MIN_VALUE, CT_PRIORITY)) {
            drop(dev, DropReason.NETFILTER_DROP);
            return false;
        }
        PacketCt pc = hooks.rxCt;
        if (p.notrack) {
            pc.setUntracked();
        }
        if (!ct.in(seg, pi, CtConst.HOOK_PRE_ROUTING, now, pc)) {
            drop(dev, DropReason.NETFILTER_DROP);
            return false;
        }
        return withNat(p, pc, seg, pi, family, NftPacket.HOOK_PREROUTING, CtConst.HOOK_PRE_ROUTING, CT_PRIORITY,
                NAT_DST_PRIORITY, dev);
    }

    /**
     * The chains of a hook from {@code from} on, with NAT at {@code natPriority} when this family has nat
     * chains (nf_nat_inet_fn: a connection's first packet runs the nat chains, every packet is translated).
     */
    private boolean withNat(NftPacket p, PacketCt pc, MemorySegment seg, PacketInfo pi, int family, int hook,
                            int ctHook, int from, int natPriority, NetDevice dev) {
        if (!hooks.nat(family == NftPacket.NFPROTO_IPV6) || pc.ct == null) {
            return runTracked(p, pc, family, hook, from, Integer.MAX_VALUE, dev);
        }
        if (!runTracked(p, pc, family, hook, from, natPriority, dev)) {
            return false;
        }
        int s = NatHook.begin(seg, pi, pc.ct, pc.ctinfo, ctHook);
        if (s == NatHook.DROP) {
            drop(dev, DropReason.NETFILTER_DROP);
            return false;
        }
        if (s != NatHook.ACCEPT) {
            if (s == NatHook.RUN_CHAINS) {
                Hooks.exposeCt(p, pc);
                if (!hooks.runNat(p, family, hook, pc.ct, NatCore.hookIsSrcManip(ctHook))) {
                    drop(dev, DropReason.NETFILTER_DROP);
                    return false;
                }
            } else if (NatHook.oifChanged(pc.ct, pc.ctinfo, ctHook, p.oif)) {
                ct.kill(pc.ct); // nf_ct_kill_acct: the connection is masqueraded anew when it tries again
                drop(dev, DropReason.NETFILTER_DROP);
                return false;
            }
            if (!NatHook.finish(natCore, ct, seg, pi, pc.ct, pc.ctinfo, ctHook, now)) {
                drop(dev, DropReason.NETFILTER_DROP);
                return false;
            }
        }
        return runTracked(p, pc, family, hook, natPriority, Integer.MAX_VALUE, dev);
    }

    /** Input for a received packet: chains, source NAT at 100, the rest, confirmation. */
    boolean input(MemorySegment seg, PacketInfo pi, int family, NetDevice dev) {
        return withNat(hooks.rx, hooks.rxCt, seg, pi, family, NftPacket.HOOK_INPUT, CtConst.HOOK_LOCAL_IN,
                Integer.MIN_VALUE, NAT_SRC_PRIORITY, dev) && confirm(hooks.rxCt, dev);
    }

    /** Postrouting for a forwarded packet: chains, source NAT at 100, the rest, confirmation. */
    boolean postrouting(MemorySegment seg, int family, NetDevice dev) {
        return withNat(hooks.rx, hooks.rxCt, seg, info, family, NftPacket.HOOK_POSTROUTING, CtConst.HOOK_POST_ROUTING,
                Integer.MIN_VALUE, NAT_SRC_PRIORITY, dev) && confirm(hooks.rxCt, dev);
    }

    /** Runs a hook's chains in [from, to) with the packet's conntrack view exposed; counts a drop. */
    boolean runTracked(NftPacket p, PacketCt pc, int family, int hook, int from, int to, NetDevice dev) {
        Hooks.exposeCt(p, pc);
        boolean ok = hooks.run(p, family, hook, from, to);
        Hooks.writeBackCt(p, pc);
        if (!ok) {
            drop(dev, DropReason.NETFILTER_DROP);
        }
        return ok;
    }

    /** A hook for the received packet (forward, input, postrouting), conntrack-aware when tracking. */
    boolean rxHook(int family, int hook, NetDevice dev) {
        return runTracked(hooks.rx, hooks.rxCt, family, hook, Integer.MIN_VALUE, Integer.MAX_VALUE, dev);
    }

    /** nf_conntrack_confirm at the end of postrouting / input. */
    boolean confirm(PacketCt pc, NetDevice dev) {
        if (pc.ct == null || ct.confirm(pc, now)) {
            return true;
        }
        drop(dev, DropReason.NETFILTER_DROP);
        return false;
    }

    /**
     * Output and postrouting for a packet the router made (__ip_local_out, ip6_local_out): chains below -200,
     * conntrack at -200, the rest, postrouting, confirmation. False when a chain or conntrack dropped it.
     */
    /**
     * nf_ct_attach: the ICMP error or reject reset about to be sent is about the packet in {@code offending}
     * (Linux's icmp_glue_bits and nf_send_reset attach the offending packet's conntrack entry to it). When
     * that is the received packet and it has an entry, the made packet carries the entry as RELATED (or
     * RELATED_REPLY) instead of being looked up: it belongs to that connection even when the entry is not
     * confirmed yet (a first packet refused or expired), so NAT translates it back like any reply.
     */
    void relatedTo(MemorySegment offending) {
        attachRx = offending == hooks.rx.segment && hooks.rxCt.ct != null;
    }

    boolean localOut(MemorySegment seg, long l3, int l3len, int family, NetDevice out) {
        boolean ipv6 = family == NftPacket.NFPROTO_IPV6;
        boolean tracking = hooks.conntrack(ipv6);
        boolean attach = attachRx && tracking;
        attachRx = false;
        reroute.moved = false;
        if (!tracking && hooks.empty(family, NftPacket.HOOK_OUTPUT) && hooks.empty(family, NftPacket.HOOK_POSTROUTING)) {
            return true;
        }
        // parse it as the output path will frame it (the Ethernet header is written later, at xmit)
        Bytes.setU16(seg, l3 - 2, ipv6 ? EtherType.IPV6 : EtherType.IPV4);
        PacketParser.parse(seg, (int) l3 - EthernetView.HEADER_LEN, l3len + EthernetView.HEADER_LEN, localInfo);
        hooks.beginLocal(seg, l3, l3len, family, localInfo.l4Offset < 0 ? -1 : (int) (localInfo.l4Offset - l3),
                localInfo.l4Proto, out);
        NftPacket p = hooks.local;
        PacketCt pc = hooks.localCt;
        pc.clear();
        if (attach) {
            PacketCt rx = hooks.rxCt;
            pc.ct = rx.ct;
            pc.ctinfo = CtConst.dir(rx.ctinfo) == CtConst.DIR_ORIGINAL ? CtConst.IP_CT_RELATED_REPLY
                    : CtConst.IP_CT_RELATED; // nf_conntrack_attach: the error goes the other way
            ct.get(pc.ct);
        }
        try {
            if (!hooks.run(p, family, NftPacket.HOOK_OUTPUT, Integer.MIN_VALUE, CT_PRIORITY)) {
                stats.drop(0, DropReason.NETFILTER_DROP);
                return false;
            }
            if (tracking) {
                if (p.notrack) {
                    pc.setUntracked();
                }
                if (!ct.in(seg, localInfo, CtConst.HOOK_LOCAL_OUT, now, pc)) {
                    stats.drop(0, DropReason.NETFILTER_DROP);
                    return false;
                }
            }
            if (!withNat(p, pc, seg, localInfo, family, NftPacket.HOOK_OUTPUT, CtConst.HOOK_LOCAL_OUT, CT_PRIORITY,
                    NAT_DST_PRIORITY, null)) {
                return false;
            }
            if (pc.ct != null && LocalReroute.needed(pc.ct, pc.ctinfo)) {
                // ip_route_me_harder: postrouting and the way out follow the new route (the output chains
                // after NAT saw the old device, as Linux's hook state keeps it)
                int r = reroute.route(seg, l3, ipv6, out);
                if (r != LocalReroute.MOVED) {
                    if (r == LocalReroute.NO_ROUTE) {
                        stats.drop(0, DropReason.NETFILTER_DROP);
                    }
                    return false;
                }
                p.setOif(reroute.dev.ifindex(), reroute.dev.name());
            }
            if (!withNat(p, pc, seg, localInfo, family, NftPacket.HOOK_POSTROUTING, CtConst.HOOK_POST_ROUTING,
                    Integer.MIN_VALUE, NAT_SRC_PRIORITY, null)) {
                return false;
            }
            return !tracking || confirm(pc, null);
        } finally {
            if (attach) {
                ct.put(hooks.localCt.ct); // the received packet still holds the entry: only our reference goes
                hooks.localCt.clear();
            } else if (tracking) {
                ct.release(pc);
            }
        }
    }

    /**
     * flowtables.txt as DESIGN.md's contract prints it: per flowtable a header line, then its flows.
     * (Filled in by the flowtable issue; empty while no flowtable runs.)
     */
    public String flowtablesText() {
        return flowtables.text(now);
    }

    /** Installs a new FIB (routes changed): offloaded flows notice and go back to the classic path. */
    public void replaceFib(Fib next) {
        fib = next;
        fibGeneration++;
    }

    /** A device went down or away: the flows through it are torn down (nf_flow_table_cleanup). */
    public void deviceDown(int ifindex) {
        flowtables.deviceDown(ifindex, now);
        NatCore.killMasqueraded(ct, ifindex, true, 0, 0); // masq_device_event
    }

    /**
     * An address left device {@code ifindex} (IPv4: {@code hi = 0, lo = address}): the connections masqueraded
     * to it die (nf_nat_masquerade's inetaddr / inet6addr notifiers). Called by the control plane between
     * packets, after the device no longer has the address. Returns the number of entries killed.
     */
    public int addressRemoved(int ifindex, long hi, long lo) {
        return NatCore.killMasqueraded(ct, ifindex, false, hi, lo);
    }

    /** Warnings (a flowtable asking for hardware offload) go here, one line each; stderr by default. */
    public void warnings(java.util.function.Consumer<String> sink) {
        flowtables.warnings = sink;
    }

    /** The 802.1Q sub-interface of {@code dev} with VLAN id {@code vid}, or null. */
    NetDevice vlanOf(NetDevice dev, int vid) {
        NetDevice[] row = dev.ifindex() < vlans.length ? vlans[dev.ifindex()] : null;
        return row == null ? null : row[vid];
    }

    /** The neighbour table as `ip neigh show` prints it. */
    public String neighbours() {
        return neigh.list();
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
     * A batch of frames as a receive ring hands them over: each is received as by {@link #receive(PacketBuffer)},
     * in order, with the same outcome; the flowtables' lookups of each 32 frames are started first, so that at
     * a million flows their cache misses overlap instead of adding up ({@link Flowtables#prefetch}).
     */
    public void receive(PacketBuffer[] frames, int count) {
        for (int from = 0; from < count; from += Flowtables.PREFETCH_BATCH) {
            int to = Math.min(count, from + Flowtables.PREFETCH_BATCH);
            hooks.takeGeneration();
            // with no netdev chain the flowtables are the only ingress hooks: their fast path comes first
            boolean offload = flowtables.any() && hooks.empty(NftPacket.NFPROTO_NETDEV, NftPacket.HOOK_INGRESS);
            if (offload) {
                flowtables.prefetch(frames, from, to);
            }
            for (int i = from; i < to; i++) {
                PacketBuffer p = frames[i];
                if (!offload || !flowtables.offloaded(p)) {
                    receive(p, offload);
                }
            }
        }
    }

    /**
     * A frame arrived on {@code pkt.ifindex}: the device's ingress, then the protocol handlers
     * (__netif_receive_skb -> ip_rcv / ipv6_rcv / arp_rcv).
     */
    public void receive(PacketBuffer pkt) {
        receive(pkt, false);
    }

    /** {@link #receive(PacketBuffer)}; {@code flowtablesDone}: the frame missed the flowtables already. */
    private void receive(PacketBuffer pkt, boolean flowtablesDone) {
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
        hooks.takeGeneration();
        boolean netdev = !hooks.empty(NftPacket.NFPROTO_NETDEV, NftPacket.HOOK_INGRESS);
        org.jnft.flowtable.Flowtable[] fts = flowtables.hookedOn(dev.ifindex());
        if (fts != null && !netdev && !flowtablesDone) {
            // the flowtables are the device's only ingress hooks: the fast path comes before any parsing, and
            // before the packet's description for the classic path (a hit needs none of it)
            if (flowtables.ingress(fts, Integer.MIN_VALUE, Integer.MAX_VALUE, seg, base, length, dev)) {
                return;
            }
            fts = null;
        }
        rxMeta.clear();
        eth.wrap(seg, base);
        int pktType = pktType(eth.dst(), dev.mac());
        hooks.beginRx(seg, base, length, dev, pktType);
        int status = PacketParser.parse(seg, base, length, info);
        if (netdev) {
            if (status == ParseStatus.OK && (info.etherType == EtherType.IPV4 || info.etherType == EtherType.IPV6)) {
                hooks.rxLayer3(info, NftPacket.NFPROTO_NETDEV);
                hooks.rx.frameLength = length;
            }
            if (!ingressHooks(fts, seg, base, length, dev)) {
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
            case EtherType.ARP -> arp.receive(pkt, info, status, dev, pktType);
            default -> drop(dev, DropReason.UNHANDLED_PROTO);
        }
        if (hooks.rxCt.ct != null) {
            ct.release(hooks.rxCt); // the packet's life ends: an unconfirmed entry of a dropped packet goes
        }
    }

    /**
     * The device's ingress hooks when netdev chains are there: chains and flowtables in priority order
     * (a chain before a flowtable of equal priority). False when a chain dropped the frame (counted) or a
     * flowtable forwarded it.
     */
    private boolean ingressHooks(org.jnft.flowtable.Flowtable[] fts, MemorySegment seg, long base, int length,
                                 NetDevice dev) {
        int from = Integer.MIN_VALUE;
        if (fts != null) {
            for (org.jnft.flowtable.Flowtable ft : fts) {
                int prio = ft.priority();
                if (prio + 1 == from) {
                    continue; // flowtables of one priority run together
                }
                if (!hooks.run(hooks.rx, NftPacket.NFPROTO_NETDEV, NftPacket.HOOK_INGRESS, from, prio + 1)) {
                    drop(dev, DropReason.NETFILTER_DROP);
                    return false;
                }
                from = prio + 1;
                if (flowtables.ingress(fts, prio, prio + 1, seg, base, length, dev)) {
                    return false;
                }
            }
        }
        if (!hooks.run(hooks.rx, NftPacket.NFPROTO_NETDEV, NftPacket.HOOK_INGRESS, from, Integer.MAX_VALUE)) {
            drop(dev, DropReason.NETFILTER_DROP);
            return false;
        }
        return true;
    }

    /**
     * Conntrack's defrag at -400: returns the packet to go on with (the reassembled one, re-parsed into
     * {@code pi}), or null when the fragment was kept or dropped.
     */
    PacketBuffer defrag(PacketBuffer pkt, PacketInfo pi, NetDevice dev, boolean ipv6) {
        int r = ipv6
                ? defrag6.gather(pkt, pi, Ipv6Defrag.user(false, 0), now, reasmBuf, rxMeta)
                : defrag4.gather(pkt, pi, Ipv4Defrag.user(false, 0), now, reasmBuf, rxMeta);
        if (r == DefragResult.ACCEPT) {
            return pkt;
        }
        if (r == DefragResult.REASSEMBLED) {
            PacketParser.parse(reasmBuf.segment(), reasmBuf.offset(), reasmBuf.length(), pi);
            hooks.rebaseRx(reasmBuf.segment(), reasmBuf.offset(), reasmBuf.length());
            return reasmBuf;
        }
        String reason = DefragResult.linuxReason(r, ipv6);
        if (reason != null) {
            drop(dev, DropReason.valueOf(reason));
        }
        return null;
    }

    /** NF_IP_PRI_CONNTRACK: conntrack's place among the prerouting and output chains. */
    static final int CT_PRIORITY = -200;
    /** NF_IP_PRI_NAT_DST and NF_IP_PRI_NAT_SRC: where destination and source NAT sit among the chains. */
    static final int NAT_DST_PRIORITY = -100;
    static final int NAT_SRC_PRIORITY = 100;

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
