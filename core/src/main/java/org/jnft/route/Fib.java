package org.jnft.route;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The forwarding information base: IPv4 and IPv6 longest-prefix match over two tables, as Linux without
 * policy rules. IPv6: the local table is consulted first, then the main table. IPv4: Linux merges both
 * tables into one trie, so the longest prefix of either wins, the local table's on a tie (this differs
 * from "local first" only for a main route more specific than lo's 127.0.0.0/8 or another loopback
 * subnet). Within a table the longest matching prefix wins; among routes of the same prefix the lowest
 * metric (unsigned), then the first added.
 *
 * <p>Structure: per table and family, one open-addressing hash table per prefix length present, probed
 * from the longest length down ({@link Lpm4}, {@link Lpm6}): lookups allocate nothing and cost at most
 * one probe per distinct prefix length (a handful in practice). A trie would bound the cost by address
 * bits instead; for router-sized tables the hash tables are simpler and as fast.
 *
 * <p>Immutable: {@link #withRoute}/{@link #withoutRoute} build a new Fib (the control plane swaps it in).
 *
 * <p>What the kernel adds by itself, reproduced by {@link #localRoutes} and {@link #connectedRoutes}:
 * <ul>
 * <li>local table: each IPv4 address a LOCAL /32, each subnet broadcast (prefixes shorter than /31) a
 *     BROADCAST /32 (not for 0.0.0.0/8 subnets), lo's 127.0.0.0/8 LOCAL, 255.255.255.255 BROADCAST
 *     (without device); each IPv6 address (link-local ones included, ::1 on lo) a LOCAL /128, and ff00::/8 MULTICAST metric 256 on
 *     every link with IPv6;</li>
 * <li>main table: for each IPv4 address its subnet (no gateway, metric 0; not for /32 addresses nor
 *     0.0.0.0/8 subnets), for each IPv6 address its prefix (metric 256, also for /128; not for lo's ::1),
 *     and fe80::/64 metric 256 on every link with IPv6.</li>
 * </ul>
 * Checked against Linux 6.x in a network namespace ({@code ip route show table all}): secondary addresses
 * add no second broadcast, 0.0.0.0/8 addresses only their LOCAL /32, no broadcast for the network address.
 */
public final class Fib {
    /** A FIB without routes. */
    public static final Fib EMPTY = new Fib(List.of());

    private final List<Route> routes;
    private final Lpm4 local4;
    private final Lpm4 main4;
    private final Lpm6 local6;
    private final Lpm6 main6;

    private Fib(List<Route> routes) {
        this.routes = List.copyOf(routes);
        List<Route> l4 = new ArrayList<>();
        List<Route> m4 = new ArrayList<>();
        List<Route> l6 = new ArrayList<>();
        List<Route> m6 = new ArrayList<>();
        for (Route r : routes) {
            boolean local = switch (r.table()) {
                case Route.TABLE_LOCAL -> true;
                case Route.TABLE_MAIN -> false;
                default -> throw new IllegalArgumentException("unsupported table " + r.table() + ": " + r);
            };
            (r.isIpv6() ? (local ? l6 : m6) : (local ? l4 : m4)).add(r);
        }
        local4 = new Lpm4(l4);
        main4 = new Lpm4(m4);
        local6 = new Lpm6(l6);
        main6 = new Lpm6(m6);
    }

    /** A FIB holding exactly ROUTES (their order breaks ties between equal prefixes and metrics). */
    public static Fib of(Collection<Route> routes) {
        return new Fib(new ArrayList<>(routes));
    }

    /**
     * The kernel's routes for DEVICES (local table, then each device's connected routes in ifindex order)
     * followed by EXTRA.
     */
    public static Fib of(Devices devices, List<Route> extra) {
        List<Route> all = localRoutes(devices);
        for (NetDevice d : devices.all()) {
            all.addAll(connectedRoutes(d));
        }
        all.addAll(extra);
        return new Fib(all);
    }

    /**
     * The local-table routes Linux derives from the devices' addresses (see the class comment), as if the
     * devices had been brought up and given their addresses in ifindex order. (Order matters only between
     * equal entries on different devices, e.g. the same broadcast address on two: the first added wins.)
     */
    public static List<Route> localRoutes(Devices devices) {
        List<Route> out = new ArrayList<>();
        for (NetDevice d : devices.all()) {
            for (int i = 0; i < d.ipv4Count(); i++) {
                addLocal4(out, d, d.ipv4Address(i), d.ipv4PrefixLength(i));
            }
        }
        for (NetDevice d : devices.all()) {
            for (int i = 0; i < d.ipv6Count(); i++) {
                addLocal6(out, d, d.ipv6Hi(i), d.ipv6Lo(i), d.ipv6PrefixLength(i));
            }
            addMulticast6(out, d);
        }
        out.add(limitedBroadcast());
        return out;
    }

    /** 255.255.255.255: BROADCAST, without device. */
    static Route limitedBroadcast() {
        return Route.ipv4(Route.BROADCAST, Route.TABLE_LOCAL, -1, 32, null, false, 0, 0, true);
    }

    /** The local-table entries for IPv4 address A/PLEN on D, as fib_add_ifaddr. */
    static void addLocal4(List<Route> out, NetDevice d, int a, int plen) {
        int mask = Inet.mask4(plen);
        addOnce(out, Route.ipv4(Route.LOCAL, Route.TABLE_LOCAL, a, 32, d, false, 0, 0, true));
        int prefix = a & mask;
        // nothing more for 0.0.0.0/8 subnets and /32 addresses
        if ((prefix >>> 24) == 0 || (prefix == a && plen == 32)) {
            return;
        }
        if (d.isLoopback()) {
            addOnce(out, Route.ipv4(Route.LOCAL, Route.TABLE_LOCAL, prefix, plen, d, false, 0, 0, true));
        }
        if (plen < 31) {
            addOnce(out, Route.ipv4(Route.BROADCAST, Route.TABLE_LOCAL, a | ~mask, 32, d, false, 0, 0, true));
        }
    }

    /**
     * The local-table entries for IPv6 address hi:lo/PLEN on D: LOCAL /128 and, as a router (forwarding on)
     * joins it, the prefix's subnet-router anycast address for prefixes up to /126.
     */
    static void addLocal6(List<Route> out, NetDevice d, long hi, long lo, int plen) {
        addOnce(out, Route.ipv6(Route.LOCAL, Route.TABLE_LOCAL, hi, lo, 128, d, false, 0, 0, 0, true));
        if (plen < 127) {
            addOnce(out, Route.ipv6(Route.ANYCAST, Route.TABLE_LOCAL, hi & Inet.mask6Hi(plen), lo & Inet.mask6Lo(plen),
                    128, d, false, 0, 0, 0, true));
        }
    }

    /** ff00::/8 MULTICAST metric 256 on a link with IPv6 (not lo). */
    static void addMulticast6(List<Route> out, NetDevice d) {
        if (d.hasIpv6() && !d.isLoopback()) {
            addOnce(out, Route.ipv6(Route.MULTICAST, Route.TABLE_LOCAL, 0xff00L << 48, 0, 8, d, false, 0, 0,
                    Route.IPV6_KERNEL_METRIC, true));
        }
    }

    private static void addOnce(List<Route> out, Route r) {
        if (!out.contains(r)) {
            out.add(r);
        }
    }

    /**
     * The main-table routes Linux adds for device D: fe80::/64 (links with IPv6), then each address's
     * connected route, IPv4 first.
     */
    public static List<Route> connectedRoutes(NetDevice d) {
        List<Route> out = new ArrayList<>();
        if (d.linkLocalHi() != 0) {
            out.add(linkLocalRoute(d));
        }
        for (int i = 0; i < d.ipv4Count(); i++) {
            Route r = connectedRoute4(d, d.ipv4Address(i), d.ipv4PrefixLength(i));
            if (r != null && !out.contains(r)) {
                out.add(r);
            }
        }
        for (int i = 0; i < d.ipv6Count(); i++) {
            boolean loopback1 = d.isLoopback() && d.ipv6Hi(i) == 0 && d.ipv6Lo(i) == 1;
            if (!loopback1 && (!Inet.isLinkLocal6(d.ipv6Hi(i)) || d.ipv6PrefixLength(i) != 64)) {
                Route r = connectedRoute6(d, d.ipv6Hi(i), d.ipv6Lo(i), d.ipv6PrefixLength(i));
                if (!out.contains(r)) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    static Route linkLocalRoute(NetDevice d) {
        return Route.ipv6(Route.UNICAST, Route.TABLE_MAIN, Inet.LINK_LOCAL_HI, 0, 64, d, false, 0, 0,
                Route.IPV6_KERNEL_METRIC, true);
    }

    /** The connected route of IPv4 address A/PLEN on D, null when Linux adds none (see class comment). */
    static Route connectedRoute4(NetDevice d, int a, int plen) {
        if (d.isLoopback()) {
            return null; // lo's subnet is a LOCAL route in the local table
        }
        int prefix = a & Inet.mask4(plen);
        if ((prefix >>> 24) == 0 || (prefix == a && plen == 32)) {
            return null;
        }
        return Route.ipv4(Route.UNICAST, Route.TABLE_MAIN, prefix, plen, d, false, 0, 0, true);
    }

    static Route connectedRoute6(NetDevice d, long hi, long lo, int plen) {
        return Route.ipv6(Route.UNICAST, Route.TABLE_MAIN, hi & Inet.mask6Hi(plen), lo & Inet.mask6Lo(plen), plen, d,
                false, 0, 0, Route.IPV6_KERNEL_METRIC, true);
    }

    /**
     * The route for IPv4 destination DST, or null when there is none. Allocates nothing. As Linux without
     * policy rules (local and main tables merged into one trie): the longest prefix of either table wins,
     * the local table's on equal lengths (checked with {@code ip route get}: a main 127.1.0.0/16 route beats
     * lo's local 127.0.0.0/8, a main /32 for a local address does not).
     */
    public Route lookup4(int dst) {
        Route l = local4.lookup(dst, 0);
        Route m = main4.lookup(dst, 0);
        if (l == null) {
            return m;
        }
        return m != null && m.prefixLength() > l.prefixLength() ? m : l;
    }

    /** The route for IPv6 destination hi:lo, or null. Allocates nothing. */
    public Route lookup6(long hi, long lo) {
        Route r = local6.lookup(hi, lo, 0);
        return r != null ? r : main6.lookup(hi, lo, 0);
    }

    /**
     * As {@link #lookup6(long, long)}, but for a link-scoped destination (fe80::/10, ff01::/16, ff02::/16)
     * and IFINDEX_HINT non-zero only routes on that device qualify (Linux's strict interface match for such
     * addresses): the interface a link-local packet arrived on, or the one it is to leave by. For other
     * destinations the hint is ignored.
     */
    public Route lookup6(long hi, long lo, int ifindexHint) {
        int hint = ifindexHint != 0 && (Inet.isLinkLocal6(hi) || Inet.isLinkScopedMulticast6(hi)) ? ifindexHint : 0;
        Route r = local6.lookup(hi, lo, hint);
        return r != null ? r : main6.lookup(hi, lo, hint);
    }

    /** Every route, in the order they were added. */
    public List<Route> routes() {
        return routes;
    }

    /** A new FIB with R added after the existing routes. */
    public Fib withRoute(Route r) {
        List<Route> rs = new ArrayList<>(routes);
        rs.add(r);
        return new Fib(rs);
    }

    /** A new FIB without R (compared with equals; the first such route is removed), or this when absent. */
    public Fib withoutRoute(Route r) {
        List<Route> rs = new ArrayList<>(routes);
        return rs.remove(r) ? new Fib(rs) : this;
    }

    /** One route a line, as {@link Route#toString()}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Route r : routes) {
            sb.append(r).append('\n');
        }
        return sb.toString();
    }
}
