package org.jnft.route;

import java.util.Objects;

/**
 * One route of the {@link Fib}: immutable, pre-built, returned by lookups as is. Type constants are the
 * kernel's {@code RTN_*} values; tables the kernel's {@code RT_TABLE_*} numbers.
 */
public final class Route {
    public static final int UNICAST = 1;
    public static final int LOCAL = 2;
    public static final int BROADCAST = 3;
    /** IPv6 subnet-router anycast address of one of the router's prefixes: delivered locally. */
    public static final int ANYCAST = 4;
    public static final int MULTICAST = 5;
    public static final int BLACKHOLE = 6;
    public static final int UNREACHABLE = 7;
    public static final int PROHIBIT = 8;

    public static final int TABLE_MAIN = 254;
    public static final int TABLE_LOCAL = 255;

    /** Linux's default metric of IPv6 routes added by the user (IP6_RT_PRIO_USER). */
    public static final int IPV6_USER_METRIC = 1024;
    /** Linux's metric of IPv6 connected and link-local routes (IP6_RT_PRIO_ADDRCONF). */
    public static final int IPV6_KERNEL_METRIC = 256;

    private final boolean ipv6;
    private final int type;
    private final int table;
    private final int prefix4;
    private final long prefixHi;
    private final long prefixLo;
    private final int plen;
    private final NetDevice device;
    private final boolean hasGateway;
    private final int gw4;
    private final long gwHi;
    private final long gwLo;
    private final int metric;
    private final boolean kernel;

    private Route(boolean ipv6, int type, int table, int prefix4, long prefixHi, long prefixLo, int plen,
                  NetDevice device, boolean hasGateway, int gw4, long gwHi, long gwLo, int metric, boolean kernel) {
        this.ipv6 = ipv6;
        this.type = type;
        this.table = table;
        this.prefix4 = prefix4;
        this.prefixHi = prefixHi;
        this.prefixLo = prefixLo;
        this.plen = plen;
        this.device = device;
        this.hasGateway = hasGateway;
        this.gw4 = gw4;
        this.gwHi = gwHi;
        this.gwLo = gwLo;
        this.metric = metric;
        this.kernel = kernel;
    }

    /**
     * An IPv4 route.
     *
     * @param kernel true for the routes Linux adds itself ({@code proto kernel}: local, broadcast, connected)
     * @throws IllegalArgumentException on a bad prefix length or host bits set in PREFIX
     */
    public static Route ipv4(int type, int table, int prefix, int plen, NetDevice device, boolean hasGateway,
                             int gateway, int metric, boolean kernel) {
        if (plen < 0 || plen > 32) {
            throw new IllegalArgumentException("bad IPv4 prefix length " + plen);
        }
        if ((prefix & ~Inet.mask4(plen)) != 0) {
            throw new IllegalArgumentException("host bits set in " + Inet.format4(prefix) + "/" + plen);
        }
        return new Route(false, type, table, prefix, 0, 0, plen, device, hasGateway, hasGateway ? gateway : 0, 0,
                0, metric, kernel);
    }

    /** An IPv6 route; see {@link #ipv4}. */
    public static Route ipv6(int type, int table, long prefixHi, long prefixLo, int plen, NetDevice device,
                             boolean hasGateway, long gatewayHi, long gatewayLo, int metric, boolean kernel) {
        if (plen < 0 || plen > 128) {
            throw new IllegalArgumentException("bad IPv6 prefix length " + plen);
        }
        if ((prefixHi & ~Inet.mask6Hi(plen)) != 0 || (prefixLo & ~Inet.mask6Lo(plen)) != 0) {
            throw new IllegalArgumentException("host bits set in " + Inet.format6(prefixHi, prefixLo) + "/" + plen);
        }
        return new Route(true, type, table, 0, prefixHi, prefixLo, plen, device, hasGateway,
                0, hasGateway ? gatewayHi : 0, hasGateway ? gatewayLo : 0, metric, kernel);
    }

    public boolean isIpv6() {
        return ipv6;
    }

    /** One of {@link #UNICAST}, {@link #LOCAL}, {@link #BROADCAST}, {@link #MULTICAST}, ... */
    public int type() {
        return type;
    }

    /** {@link #TABLE_LOCAL} or {@link #TABLE_MAIN}. */
    public int table() {
        return table;
    }

    /**
     * The output device (for LOCAL routes, the device owning the address). Null only for the IPv4 limited
     * broadcast route 255.255.255.255, which Linux handles without a route: the packet's own device applies.
     */
    public NetDevice device() {
        return device;
    }

    public boolean hasGateway() {
        return hasGateway;
    }

    /** IPv4 gateway, 0 without one. */
    public int gateway4() {
        return gw4;
    }

    public long gatewayHi() {
        return gwHi;
    }

    public long gatewayLo() {
        return gwLo;
    }

    public int prefix4() {
        return prefix4;
    }

    public long prefixHi() {
        return prefixHi;
    }

    public long prefixLo() {
        return prefixLo;
    }

    public int prefixLength() {
        return plen;
    }

    /** The metric (Linux's priority), an unsigned 32-bit value: compare with {@link Integer#compareUnsigned}. */
    public int metric() {
        return metric;
    }

    /** True for routes the kernel would add itself ({@code proto kernel}). */
    public boolean isKernel() {
        return kernel;
    }

    /** True when DST (IPv4) is inside this route's prefix. */
    public boolean matches4(int dst) {
        return !ipv6 && Inet.inPrefix4(dst, prefix4, plen);
    }

    /** True when DST (IPv6) is inside this route's prefix. */
    public boolean matches6(long hi, long lo) {
        return ipv6 && Inet.inPrefix6(hi, lo, prefixHi, prefixLo, plen);
    }

    boolean samePrefix(Route o) {
        return ipv6 == o.ipv6 && plen == o.plen && prefix4 == o.prefix4 && prefixHi == o.prefixHi
                && prefixLo == o.prefixLo;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Route r && samePrefix(r) && type == r.type && table == r.table
                && device == r.device && hasGateway == r.hasGateway && gw4 == r.gw4 && gwHi == r.gwHi
                && gwLo == r.gwLo && metric == r.metric && kernel == r.kernel;
    }

    @Override
    public int hashCode() {
        return Objects.hash(ipv6, type, table, prefix4, prefixHi, prefixLo, plen, device, gw4, gwHi, gwLo, metric);
    }

    /** iproute2-like text, e.g. {@code 10.1.0.0/16 via 10.0.0.9 dev eth0 metric 5}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        switch (type) {
            case LOCAL -> sb.append("local ");
            case BROADCAST -> sb.append("broadcast ");
            case ANYCAST -> sb.append("anycast ");
            case MULTICAST -> sb.append("multicast ");
            case BLACKHOLE -> sb.append("blackhole ");
            case UNREACHABLE -> sb.append("unreachable ");
            case PROHIBIT -> sb.append("prohibit ");
            default -> {
            }
        }
        if (plen == 0) {
            sb.append("default");
        } else {
            sb.append(ipv6 ? Inet.format6(prefixHi, prefixLo) : Inet.format4(prefix4));
            if (plen != (ipv6 ? 128 : 32)) {
                sb.append('/').append(plen);
            }
        }
        if (hasGateway) {
            sb.append(" via ").append(ipv6 ? Inet.format6(gwHi, gwLo) : Inet.format4(gw4));
        }
        if (device != null) {
            sb.append(" dev ").append(device.name());
        }
        if (table == TABLE_LOCAL) {
            sb.append(" table local");
        }
        if (kernel) {
            sb.append(" proto kernel");
        }
        if (metric != 0 || ipv6) {
            sb.append(" metric ").append(Integer.toUnsignedString(metric));
        }
        return sb.toString();
    }
}
