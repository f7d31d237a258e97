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
        hookedOn = hooks;
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
                FlowStore s = ft.store(v6);
                int id = ref >>> 1;
                int dir = ref & 1;
                NetDevice out = router.devices.byIndex(s.oif(id, dir));
                int l3len = v6 ? 40 + Bytes.u16(seg, l3 + 4) : Bytes.u16(seg, l3 + 2);
                router.output.ether(seg, l3, l3len, out, s.mac(id, dir), v6 ? EtherType.IPV6 : EtherType.IPV4);
                return true;
            }
            if (ref == FlowIp.PASS) {
                return false;
            }
        }
        return false;
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
