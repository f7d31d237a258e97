package org.jnft.flowtable;

import java.util.List;

/**
 * One flowtable ({@code struct nf_flowtable}): its name and place (family, table), its hook (ingress of
 * {@link #devices()} at {@link #priority()}), its flags, its flows (one store per address family) and the
 * hits and misses of its hook. The devices may change while flows live: a device leaving the flowtable
 * takes its flows with it ({@link FlowCore#cleanupDevice}); the flows never depend on the ruleset
 * generation that declared them.
 */
public final class Flowtable {
    public final String family;
    public final String table;
    public final String name;
    private int priority;
    private List<String> devices;
    private boolean counter;
    private boolean hwOffload;
    final FlowStore v4;
    private final boolean acceptsIpv4;
    private final boolean acceptsIpv6;
    final FlowStore v6;
    /** Frames forwarded by the fast path, and IPv4/IPv6 TCP/UDP frames that reached the hook and went on. */
    public long hits;
    public long misses;
    /** Flows added since the flowtable was created (statistics). */
    public long added;
    /** Rules that use this flowtable ({@code flow add @name}) in the current generation: deletion is refused. */
    public int use;

    public Flowtable(String family, String table, String name, int priority, List<String> devices, boolean counter,
                     boolean hwOffload) {
        this.family = family;
        this.table = table;
        this.name = name;
        this.v4 = new FlowStore(false, 64, name.hashCode() * 31 + table.hashCode());
        this.v6 = new FlowStore(true, 16, name.hashCode() * 17 + table.hashCode());
        this.acceptsIpv4 = !family.equals("ip6");
        this.acceptsIpv6 = !family.equals("ip");
        update(priority, devices, counter, hwOffload);
    }

    /** A new generation declared this flowtable again: take its (possibly changed) hook, devices and flags. */
    public void update(int priority, List<String> devices, boolean counter, boolean hwOffload) {
        this.priority = priority;
        this.devices = List.copyOf(devices);
        this.counter = counter;
        this.hwOffload = hwOffload;
    }

    /** The devices' interface indexes, resolved by the router: {@code hooked[ifindex]}. */
    private boolean[] hooked = new boolean[0];

    /** Binds the hook to the devices' current interface indexes (the router resolves the names). */
    public void bind(boolean[] hookedByIfindex) {
        this.hooked = hookedByIfindex;
    }

    /** Does this flowtable's hook sit on device {@code ifindex}? */
    public boolean hooks(int ifindex) {
        boolean[] h = hooked;
        return ifindex < h.length && h[ifindex];
    }

    public int priority() {
        return priority;
    }

    public List<String> devices() {
        return devices;
    }

    /** NF_FLOWTABLE_COUNTER: fast-path packets update conntrack's counters. */
    public boolean counter() {
        return counter;
    }

    /** NF_FLOWTABLE_HW_OFFLOAD was asked for ({@code flags offload}); software carries the flows meanwhile. */
    public boolean hwOffload() {
        return hwOffload;
    }

    public FlowStore store(boolean ipv6) {
        return ipv6 ? v6 : v4;
    }

    /** Flows in both families. */
    public int flowCount() {
        return v4.count() + v6.count();
    }

    /** True for the flowtables of the ip/ip6/inet family that can hold flows of IPv6 packets, and so on. */
    public boolean accepts(boolean ipv6) {
        return ipv6 ? acceptsIpv6 : acceptsIpv4; // per packet: no string switch here
    }

    public String key() {
        return family + " " + table + " " + name;
    }

    @Override
    public String toString() {
        return "flowtable " + key();
    }
}
