package org.jnft.route;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A parsed NET file ({@link NetFile#parse}): links, addresses, routes and neighbours, in file order. Builds
 * the {@link Devices}, the {@link Fib} and the {@link Neighbours}.
 */
public final class NetConfig {
    /** A main-table route as the file (or an address, or a link) added it; the device by name. */
    record RouteSpec(boolean ipv6, int prefix4, long prefixHi, long prefixLo, int plen, String dev,
                     boolean hasGateway, int gw4, long gwHi, long gwLo, int metric, boolean kernel) {
        boolean covers4(int a) {
            return !ipv6 && Inet.inPrefix4(a, prefix4, plen);
        }

        boolean covers6(long hi, long lo) {
            return ipv6 && Inet.inPrefix6(hi, lo, prefixHi, prefixLo, plen);
        }

        boolean samePrefixAndMetric(RouteSpec o) {
            return ipv6 == o.ipv6 && plen == o.plen && prefix4 == o.prefix4 && prefixHi == o.prefixHi
                    && prefixLo == o.prefixLo && metric == o.metric;
        }
    }

    /** Something that adds local-table entries, in the order Linux would have added them. */
    record LocalEvent(String dev, int kind, int addr4, long hi, long lo, int plen) {
        static final int ADDR4 = 0;
        static final int ADDR6 = 1;
        /** A link with IPv6 comes up: its link-local address and ff00::/8. */
        static final int LINK6 = 2;
    }

    record NeighSpec(boolean ipv6, String dev, int addr4, long hi, long lo, long mac) {
    }

    private final String name;
    final NetDevice.Builder lo = NetDevice.Builder.loopback();
    final List<NetDevice.Builder> links = new ArrayList<>();
    final List<RouteSpec> routes = new ArrayList<>();
    final List<LocalEvent> localEvents = new ArrayList<>();
    final List<NeighSpec> neighs = new ArrayList<>();
    private Devices devices;
    private Fib fib;

    NetConfig(String name) {
        this.name = name;
    }

    /** The display name of the file this came from. */
    public String name() {
        return name;
    }

    /** The link names in file order (lo excluded). */
    public List<String> linkNames() {
        List<String> out = new ArrayList<>();
        for (NetDevice.Builder b : links) {
            out.add(b.name());
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Gives the links the interface indexes the kernel has for them (the daemon: rules match the kernel's
     * {@code iif}); call before {@link #devices()}. Links missing from {@code indexes} keep their position.
     */
    public synchronized void useIfindexes(java.util.Map<String, Integer> indexes) {
        if (devices != null) {
            throw new IllegalStateException("devices already built");
        }
        for (NetDevice.Builder b : links) {
            Integer i = indexes.get(b.name());
            if (i != null) {
                b.ifindex(i);
            }
        }
    }

    /** The devices: lo (ifindex 1), then the links in file order (2, 3, ...). Built once. */
    public synchronized Devices devices() {
        if (devices == null) {
            devices = Devices.create(lo, links);
        }
        return devices;
    }

    /**
     * The FIB: the local and main tables in the order Linux would have built them while running the file's
     * commands (each link's fe80::/64 when it is added, each
     * address's connected route when it is added, each {@code route add} line). Built once.
     */
    public synchronized Fib fib() {
        if (fib == null) {
            Devices d = devices();
            List<Route> all = new ArrayList<>();
            for (LocalEvent e : localEvents) {
                NetDevice dev = d.byName(e.dev());
                switch (e.kind()) {
                    case LocalEvent.ADDR4 -> Fib.addLocal4(all, dev, e.addr4(), e.plen());
                    case LocalEvent.ADDR6 -> Fib.addLocal6(all, dev, e.hi(), e.lo(), e.plen());
                    default -> {
                        Fib.addLocal6(all, dev, dev.linkLocalHi(), dev.linkLocalLo(), 64);
                        Fib.addMulticast6(all, dev);
                    }
                }
            }
            all.add(Fib.limitedBroadcast());
            for (RouteSpec s : routes) {
                NetDevice dev = d.byName(s.dev());
                all.add(s.ipv6()
                        ? Route.ipv6(Route.UNICAST, Route.TABLE_MAIN, s.prefixHi(), s.prefixLo(), s.plen(), dev,
                                s.hasGateway(), s.gwHi(), s.gwLo(), s.metric(), s.kernel())
                        : Route.ipv4(Route.UNICAST, Route.TABLE_MAIN, s.prefix4(), s.plen(), dev, s.hasGateway(),
                                s.gw4(), s.metric(), s.kernel()));
            }
            fib = Fib.of(all);
        }
        return fib;
    }

    /** A new, mutable neighbour table holding the file's {@code neigh add} entries (a fresh one each call). */
    public Neighbours neighbours() {
        Devices d = devices();
        Neighbours n = new Neighbours();
        for (NeighSpec s : neighs) {
            int ifx = d.byName(s.dev()).ifindex();
            if (s.ipv6()) {
                n.put6(ifx, s.hi(), s.lo(), s.mac());
            } else {
                n.put4(ifx, s.addr4(), s.mac());
            }
        }
        return n;
    }
}
