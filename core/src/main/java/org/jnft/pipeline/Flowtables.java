package org.jnft.pipeline;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jnft.flowtable.FlowCore;
import org.jnft.flowtable.FlowIp;
import org.jnft.flowtable.FlowListing;
import org.jnft.flowtable.FlowStore;
import org.jnft.flowtable.FlowTimeouts;
import org.jnft.flowtable.Flowtable;
import org.jnft.packet.Bytes;
import org.jnft.packet.EtherType;
import org.jnft.route.NetDevice;
import org.jnft.vm.FlowtableDef;
import org.jnft.vm.Ruleset;

/**
 * The router's flowtables and their ingress hooks (nf_flow_table_inet / nft_register_flowtable_net_hooks):
 * one runtime {@link Flowtable} per (family, table, name), kept across ruleset generations and updated from
 * each generation's declaration (devices added or removed, flags); a flowtable a generation no longer
 * declares is flushed, its connections handed back to conntrack. Per device, the flowtables hooked on it
 * in priority order. Single-threaded, like the router.
 */
final class Flowtables {
    private final Router router;
    final FlowCore core;
    final FlowIp ip;
    /** Runtime flowtables by key, in the order of the current generation. */
    private final Map<String, Flowtable> byKey = new LinkedHashMap<>();
    /** The current generation's flowtables by their index in {@link Ruleset#flowtables}. */
    private Flowtable[] byIndex = new Flowtable[0];
    /** Every runtime flowtable, for the GC and events to walk without an iterator. */
    private Flowtable[] all = new Flowtable[0];
    /** Per ifindex (physical device), the flowtables hooked on it or on one of its VLANs, by priority. */
    private Flowtable[][] hookedOn = new Flowtable[0][];
    private Ruleset syncedFor;
    /** Reused for every {@code flow add}: routes of both directions. */
    final org.jnft.flowtable.FlowRoute route = new org.jnft.flowtable.FlowRoute();
    /** One line per warning (a flowtable asking for hardware offload). */
    Consumer<String> warnings = System.err::println;

    Flowtables(Router router, FlowTimeouts timeouts) {
        this.router = router;
        this.core = new FlowCore(router.ct, timeouts);
        this.ip = new FlowIp(core);
        router.ct.onDeath(e -> core.entryDying(e, router.now()));
    }

    /** A packet saw generation {@code rules}: bring the runtime flowtables in line with its declarations. */
    void sync(Ruleset rules, long now) {
        if (rules == syncedFor) {
            return;
        }
        syncedFor = rules;
        List<FlowtableDef> defs = rules.flowtables;
        Map<String, Flowtable> next = new LinkedHashMap<>();
        Flowtable[] idx = new Flowtable[defs.size()];
        for (int i = 0; i < defs.size(); i++) {
            FlowtableDef d = defs.get(i);
            Flowtable ft = byKey.get(d.key());
            boolean warn = d.hwOffload();
            if (ft == null) {
                ft = new Flowtable(d.family(), d.table(), d.name(), d.priority(), d.devices(), d.counter(),
                        d.hwOffload());
            } else {
                warn = d.hwOffload() && !ft.hwOffload();
                for (String dev : ft.devices()) {
                    NetDevice nd = router.devices.byName(dev);
                    if (!d.devices().contains(dev) && nd != null) {
                        core.cleanupDevice(ft, nd.ifindex(), now); // the hook leaves that device
                    }
                }
                ft.update(d.priority(), d.devices(), d.counter(), d.hwOffload());
            }
            if (warn) {
                warnings.accept("jnft: flowtable " + d.name() + ": flags offload: no hardware offload here, "
                        + "the software fast path carries its flows");
            }
            ft.use = rules.flowtableUse(i);
            next.put(d.key(), ft);
            idx[i] = ft;
        }
        for (Map.Entry<String, Flowtable> e : byKey.entrySet()) {
            if (!next.containsKey(e.getKey())) {
                core.flush(e.getValue(), now); // deleted with the generation that dropped it
            }
        }
        byKey.clear();
        byKey.putAll(next);
        all = next.values().toArray(new Flowtable[0]);
        byIndex = idx;
        rebuildHooks();
    }

    private void rebuildHooks() {
        int max = 1;
        for (NetDevice d : router.devices.links()) {
            max = Math.max(max, d.ifindex());
        }
        boolean[][] devs = new boolean[byIndex.length][max + 1];
        List<List<Flowtable>> per = new ArrayList<>();
        for (int i = 0; i <= max; i++) {
            per.add(new ArrayList<>());
        }
        for (int i = 0; i < byIndex.length; i++) {
            for (String name : byIndex[i].devices()) {
                NetDevice d = router.devices.byName(name);
                if (d == null) {
                    continue;
                }
                devs[i][d.ifindex()] = true;
                int phys = d.isVlan() ? d.parent().ifindex() : d.ifindex();
                if (!per.get(phys).contains(byIndex[i])) {
                    per.get(phys).add(byIndex[i]);
                }
            }
        }
        Flowtable[][] hooks = new Flowtable[max + 1][];
        for (int i = 0; i <= max; i++) {
            List<Flowtable> l = per.get(i);
            if (!l.isEmpty()) {
                l.sort(Comparator.comparingInt(Flowtable::priority));
                hooks[i] = l.toArray(new Flowtable[0]);
            }
        }
        for (int i = 0; i < byIndex.length; i++) {
            byIndex[i].bind(devs[i]);
        }
        FlowStore[] p4 = new FlowStore[max + 1];
        FlowStore[] p6 = new FlowStore[max + 1];
        for (int i = 0; i <= max; i++) {
            Flowtable ft = hooks[i] == null ? null : hooks[i][0];
            if (ft != null && ft.hooks(i)) {
                p4[i] = ft.accepts(false) ? ft.store(false) : null;
                p6[i] = ft.accepts(true) ? ft.store(true) : null;
            }
        }
        hookedOn = hooks;
        pf4 = p4;
        pf6 = p6;
    }

    /** The flowtables hooked on a physical device (directly or through its VLANs), by priority; null if none. */
    Flowtable[] hookedOn(int ifindex) {
        return ifindex < hookedOn.length ? hookedOn[ifindex] : null;
    }

    /** The flowtable of the current generation's {@code flow add} with this index. */
    Flowtable forIndex(int index) {
        return index < byIndex.length ? byIndex[index] : null;
    }

    /**
     * A frame at the ingress of physical device {@code dev}: the hooks of flowtables {@code fts} with priority in
     * [{@code from}, {@code to}). True when one of them forwarded it (rewritten and transmitted).
     */
    boolean ingress(Flowtable[] fts, int from, int to, MemorySegment seg, long base, int length, NetDevice dev) {
        if (length < 14 + 20) {
            return false;
        }
        int et = Bytes.u16(seg, base + 12);
        long l3 = base + 14;
        NetDevice in = dev;
        if (et == EtherType.VLAN) {
            // nf_flow_skb_encap_protocol: one 802.1Q tag is looked through; the flow's input is the VLAN device
            NetDevice sub = router.vlanOf(dev, Bytes.u16(seg, base + 14) & 0xfff);
            if (sub == null) {
                return false;
            }
            in = sub;
            et = Bytes.u16(seg, base + 16);
            l3 = base + 18;
        }
        boolean v6 = et == EtherType.IPV6;
        if (!v6 && et != EtherType.IPV4) {
            return false;
        }
        int avail = (int) (length - (l3 - base));
        long now = router.now();
        for (Flowtable ft : fts) {
            if (ft.priority() < from || ft.priority() >= to || !ft.accepts(v6)
                    || !(ft.hooks(in.ifindex()) || ft.hooks(dev.ifindex()))) {
                continue;
            }
            int ref = v6 ? ip.forward6(ft, seg, l3, avail, in.ifindex(), router.fibGeneration, now)
                    : ip.forward4(ft, seg, l3, avail, in.ifindex(), router.fibGeneration, now);
            if (ref >= 0) {
                router.output.ether(seg, l3, ip.length, router.devices.byIndex(ip.oif), ip.mac,
                        v6 ? EtherType.IPV6 : EtherType.IPV4);
                return true;
            }
            if (ref == FlowIp.PASS) {
                return false;
            }
        }
        return false;
    }

    /** Whether any flowtable is hooked anywhere. */
    boolean any() {
        return all.length != 0;
    }

    /**
     * A received frame, when the flowtables are its device's only ingress hooks: true when their fast path
     * forwarded it (received and sent counted); false leaves it untouched but for a flow torn down.
     */
    boolean offloaded(org.jnft.packet.PacketBuffer p) {
        int ifindex = p.ifindex;
        Flowtable[][] h = hookedOn;
        Flowtable[] fts;
        if (ifindex < 0 || ifindex >= h.length || (fts = h[ifindex]) == null) {
            return false;
        }
        int length = p.length();
        if (length < 14 + 20) {
            return false;
        }
        MemorySegment seg = p.segment();
        long base = p.offset();
        int et = Bytes.u16(seg, base + 12);
        boolean v6 = et == EtherType.IPV6;
        if (!v6 && et != EtherType.IPV4) {
            NetDevice dev = et == EtherType.VLAN ? router.devices.byIndex(ifindex) : null;
            if (dev == null || !ingress(fts, Integer.MIN_VALUE, Integer.MAX_VALUE, seg, base, length, dev)) {
                return false; // not IP, or a tagged frame that missed
            }
            router.stats.rx(ifindex, length);
            return true;
        }
        // the common case, written out: an untagged IPv4/IPv6 frame, every flowtable of the device in order
        long l3 = base + 14;
        long now = router.now();
        for (Flowtable ft : fts) {
            if (!ft.accepts(v6) || !ft.hooks(ifindex)) {
                continue;
            }
            int ref = v6 ? ip.forward6(ft, seg, l3, length - 14, ifindex, router.fibGeneration, now)
                    : ip.forward4(ft, seg, l3, length - 14, ifindex, router.fibGeneration, now);
            if (ref >= 0) {
                router.stats.rx(ifindex, length);
                router.output.ether(seg, l3, ip.length, router.devices.byIndex(ip.oif), ip.mac, et);
                return true;
            }
            if (ref == FlowIp.PASS) {
                return false;
            }
        }
        return false;
    }

    /** Frames per prefetch round. */
    static final int PREFETCH_BATCH = 32;
    /**
     * Prefetching pays once a store's flows outgrow about a quarter of the last-level cache. Below that the
     * lookups hit L2 or L3 and the extra pass over the frames costs more than it hides (on a 32 MiB L3 at 1k
     * flows: 17.9 M packets/s with it, 22.6 M without). The last-level cache is shared with the other cores
     * (and, on a VM, with other tenants), so a table of a third of its size already misses it when they are
     * busy: at 100k IPv4 flows (11 MB) the fast path without prefetching ran at 12–13 M packets/s with a quiet
     * L3 and fell to 6–8 M when the neighbours used it, with prefetching 11 M either way; at 1M flows it
     * doubles the rate.
     */
    static final long PREFETCH_MIN_BYTES = CpuCache.lastLevelBytes() / 4;
    /** {@link #PREFETCH_MIN_BYTES}; tests lower it to run the prefetch on small tables. */
    long prefetchMinBytes = PREFETCH_MIN_BYTES;
    /** Per ifindex, the IPv4 and IPv6 stores of the first flowtable hooked there (null: it takes none). */
    private FlowStore[] pf4 = new FlowStore[0];
    private FlowStore[] pf6 = new FlowStore[0];
    /** Per frame of the round: its tuple's hash, and its ifindex (+ 1 << 30 for IPv6), -1 when not prefetched. */
    private final int[] pfHash = new int[PREFETCH_BATCH];
    private final int[] pfWhere = new int[PREFETCH_BATCH];
    private int pfSink;

    /**
     * Starts the flowtable lookups of frames [{@code from}, {@code to}) (at most {@link #PREFETCH_BATCH}) of a
     * receive batch before any of them is handled, in three short rounds over the batch: each frame's hash,
     * then its index slot, then its flow record, so that their cache misses overlap across frames instead of
     * following one another within each (as VPP and DPDK prefetch). Reads only: what it reads may be stale by
     * the time a frame is handled, which costs a miss, nothing else. Untagged IPv4/IPv6 TCP/UDP frames, the
     * first flowtable of their device, stores beyond {@link #prefetchMinBytes}. Kept lean (the stores by
     * ifindex in arrays, ints for the round's bookkeeping, the header in three reads): the earlier version,
     * which looked each frame's device and flowtable up and kept references per frame, cost twice as much.
     */
    void prefetch(org.jnft.packet.PacketBuffer[] frames, int from, int to) {
        boolean big = false;
        for (Flowtable ft : all) {
            big |= outgrowsCache(ft.store(false)) || outgrowsCache(ft.store(true));
        }
        if (!big) {
            return;
        }
        int n = to - from;
        FlowStore[] s4 = pf4;
        FlowStore[] s6 = pf6;
        int[] where = pfWhere;
        int[] hash = pfHash;
        for (int k = 0; k < n; k++) {
            where[k] = -1;
            org.jnft.packet.PacketBuffer p = frames[from + k];
            int ifx = p.ifindex;
            if (ifx < 0 || ifx >= s4.length || p.length() < 14 + 40 + 4) {
                continue;
            }
            MemorySegment seg = p.segment();
            long l3 = p.offset() + 14L;
            int head = Bytes.u32(seg, l3 - 2); // EtherType, then version/IHL and TOS (or IPv6's first bits)
            if (head >>> 8 == (EtherType.IPV4 << 8 | 0x45)) {
                FlowStore s = s4[ifx];
                long w1 = Bytes.u64(seg, l3 + 8);
                int proto = (int) (w1 >>> 48) & 0xff;
                if (s == null || !(proto == org.jnft.packet.IpProto.TCP || proto == org.jnft.packet.IpProto.UDP)) {
                    continue;
                }
                long w2 = Bytes.u64(seg, l3 + 16);
                hash[k] = s.hashOf4((int) w1, (int) (w2 >>> 32), (int) w2, proto, ifx);
                where[k] = ifx;
            } else if (head >>> 16 == EtherType.IPV6) {
                FlowStore s = s6[ifx];
                int proto = Bytes.u8(seg, l3 + 6);
                if (s == null || !(proto == org.jnft.packet.IpProto.TCP || proto == org.jnft.packet.IpProto.UDP)) {
                    continue;
                }
                hash[k] = s.hashOf6(Bytes.u64(seg, l3 + 8), Bytes.u64(seg, l3 + 16), Bytes.u64(seg, l3 + 24),
                        Bytes.u64(seg, l3 + 32), Bytes.u32(seg, l3 + 40), proto, ifx);
                where[k] = ifx | 1 << 30;
            }
        }
        int sink = pfSink;
        for (int k = 0; k < n; k++) {
            int w = where[k];
            if (w >= 0) {
                sink ^= (w < 1 << 30 ? s4[w] : s6[w & ~(1 << 30)]).slotAt(hash[k]);
            }
        }
        for (int k = 0; k < n; k++) {
            int w = where[k];
            if (w >= 0) {
                sink ^= (w < 1 << 30 ? s4[w] : s6[w & ~(1 << 30)]).touch(hash[k]);
            }
        }
        pfSink = sink;
    }

    private boolean outgrowsCache(FlowStore s) {
        return (long) s.count() * s.bytesPerFlow() >= prefetchMinBytes;
    }

    /** The flowtables' GC tick (every second). */
    void gc(long now) {
        for (Flowtable ft : all) {
            core.gc(ft, now);
        }
    }

    void neighbourChanged(int ifindex, boolean ipv6, long hi, long lo, long mac) {
        for (Flowtable ft : all) {
            core.neighbourChanged(ft, ifindex, ipv6, hi, lo, mac);
        }
    }

    /** A device went down or away: its flows go (nf_flow_table_cleanup). */
    void deviceDown(int ifindex, long now) {
        for (Flowtable ft : all) {
            core.cleanupDevice(ft, ifindex, now);
        }
    }

    /** flowtables.txt. */
    String text(long now) {
        StringBuilder sb = new StringBuilder();
        for (Flowtable ft : byKey.values()) {
            FlowListing.append(sb, ft, now, i -> {
                NetDevice d = router.devices.byIndex(i);
                return d == null ? Integer.toString(i) : d.name();
            });
        }
        return sb.toString();
    }

    /** Every runtime flowtable, in the current generation's order. */
    List<Flowtable> all() {
        return List.copyOf(byKey.values());
    }
}
