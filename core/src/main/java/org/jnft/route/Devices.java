package org.jnft.route;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The device registry: lo (ifindex 1, mtu 65536, 127.0.0.1/8 and ::1/128), then the links in
 * configuration order with ifindexes 2, 3, ... Immutable; lookups allocate nothing.
 */
public final class Devices {
    private final NetDevice[] byIndex; // [0] unused
    private final List<NetDevice> links;
    private final List<NetDevice> all;
    private final Map<String, NetDevice> byName;
    private final AddrMap4<NetDevice> owners4;
    private final AddrMap6<NetDevice> owners6;

    private Devices(List<NetDevice> all) {
        this.all = Collections.unmodifiableList(all);
        this.links = Collections.unmodifiableList(all.subList(1, all.size()));
        int max = 0;
        for (NetDevice d : all) {
            max = Math.max(max, d.ifindex());
        }
        this.byIndex = new NetDevice[max + 1];
        this.byName = new HashMap<>();
        int n4 = 0;
        int n6 = 0;
        for (NetDevice d : all) {
            byIndex[d.ifindex()] = d;
            byName.put(d.name(), d);
            n4 += d.ipv4Count();
            n6 += d.ipv6Count();
        }
        owners4 = new AddrMap4<>(n4);
        owners6 = new AddrMap6<>(n6);
        // the first device (in ifindex order) owning an address wins
        for (int k = all.size() - 1; k >= 0; k--) {
            NetDevice d = all.get(k);
            for (int i = 0; i < d.ipv4Count(); i++) {
                owners4.put(d.ipv4Address(i), d);
            }
            for (int i = 0; i < d.ipv6Count(); i++) {
                owners6.put(d.ipv6Hi(i), d.ipv6Lo(i), d);
            }
        }
    }

    /**
     * Builds the registry: lo first, then LINKS in order (a vlan's parent must come before it).
     *
     * @throws IllegalArgumentException on a duplicate name or a missing vlan parent
     */
    public static Devices create(List<NetDevice.Builder> links) {
        return create(NetDevice.Builder.loopback(), links);
    }

    /** As {@link #create(List)} with LO (from {@link NetDevice.Builder#loopback()}, maybe with more addresses). */
    static Devices create(NetDevice.Builder loBuilder, List<NetDevice.Builder> links) {
        List<NetDevice> all = new ArrayList<>(links.size() + 1);
        Map<String, NetDevice> seen = new HashMap<>();
        NetDevice lo = loBuilder.build(1, null);
        all.add(lo);
        seen.put(lo.name(), lo);
        for (NetDevice.Builder b : links) {
            if (seen.containsKey(b.name)) {
                throw new IllegalArgumentException("duplicate device name " + b.name);
            }
            NetDevice parent = null;
            if (b.parentName != null) {
                parent = seen.get(b.parentName);
                if (parent == null) {
                    throw new IllegalArgumentException("vlan " + b.name + ": no parent " + b.parentName);
                }
            }
            int ifindex = b.ifindex != 0 ? b.ifindex : all.size() + 1;
            for (NetDevice o : all) {
                if (o.ifindex() == ifindex) {
                    throw new IllegalArgumentException("duplicate ifindex " + ifindex + " (" + o.name() + ", " + b.name + ")");
                }
            }
            NetDevice d = b.build(ifindex, parent);
            all.add(d);
            seen.put(d.name(), d);
        }
        return new Devices(all);
    }

    /** The loopback device (ifindex 1). */
    public NetDevice loopback() {
        return byIndex[1];
    }

    /** The device called NAME, or null. */
    public NetDevice byName(String name) {
        return byName.get(name);
    }

    /** The device with ifindex IFINDEX, or null. */
    public NetDevice byIndex(int ifindex) {
        return ifindex > 0 && ifindex < byIndex.length ? byIndex[ifindex] : null;
    }

    /** Number of devices, lo included (the largest ifindex unless indexes were fixed, as in the daemon). */
    public int count() {
        return all.size();
    }

    /** The links in configuration order, lo excluded. */
    public List<NetDevice> links() {
        return links;
    }

    /** Every device in ifindex order, lo first. */
    public List<NetDevice> all() {
        return all;
    }

    /**
     * True when a device carries ADDR as one of its addresses. (The FIB's local table says more: all of
     * lo's 127.0.0.0/8 is LOCAL there, and broadcasts are BROADCAST.)
     */
    public boolean isLocalIpv4(int addr) {
        return owners4.get(addr) != null;
    }

    /** The device carrying ADDR (the first in ifindex order if several do), or null. */
    public NetDevice ownerOfIpv4(int addr) {
        return owners4.get(addr);
    }

    public boolean isLocalIpv6(long hi, long lo) {
        return owners6.get(hi, lo) != null;
    }

    /**
     * The device carrying the address (the first in ifindex order if several do, as a vlan and its parent
     * share their link-local address), or null.
     */
    public NetDevice ownerOfIpv6(long hi, long lo) {
        return owners6.get(hi, lo);
    }

    /**
     * As {@link #ownerOfIpv6(long, long)}, but when the device with ifindex HINT carries the address it is
     * the answer (for link-local addresses, which several devices may share).
     */
    public NetDevice ownerOfIpv6(long hi, long lo, int hint) {
        NetDevice h = byIndex(hint);
        if (h != null && h.hasIpv6(hi, lo)) {
            return h;
        }
        return owners6.get(hi, lo);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (NetDevice d : all) {
            sb.append(d.describe()).append('\n');
        }
        return sb.toString();
    }
}
