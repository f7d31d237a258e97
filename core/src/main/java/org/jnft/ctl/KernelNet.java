package org.jnft.ctl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jnft.io.linux.NativeException;
import org.jnft.io.linux.RtNetlink;
import org.jnft.packet.Addresses;

/**
 * The daemon's network taken from the kernel of the current namespace (rtnetlink dumps), written as the
 * NET file that says the same, so that one parser ({@link org.jnft.route.NetFile}) checks both sources:
 * the {@code --iface} links with their MAC and MTU, their addresses (a link-local address other than the
 * EUI-64 one jnft derives is kept too), and the main-table unicast routes through them. Connected routes
 * (protocol kernel) are left out, the addresses imply them; routes of other types (blackhole, unreachable,
 * ...) cannot be said in NET and are reported as skipped.
 */
final class KernelNet {
    /** The NET text, the kernel's index of every link (for rules' iif/oif), and what was left out. */
    record Result(String text, Map<String, Integer> indexes, List<String> skipped) {}

    private static final int RTPROT_KERNEL = 2, RTN_UNICAST = 1;

    private KernelNet() {}

    /** @throws IllegalStateException naming an {@code --iface} the kernel does not have */
    static Result read(List<String> ifaces) throws NativeException {
        try (RtNetlink nl = RtNetlink.open()) {
            return describe(ifaces, nl.links(), nl.addresses(), nl.routes());
        }
    }

    static Result describe(List<String> ifaces, List<RtNetlink.Link> links, List<RtNetlink.Address> addresses,
                           List<RtNetlink.Route> routes) {
        Map<String, Integer> indexes = new LinkedHashMap<>();
        Map<Integer, RtNetlink.Link> byIndex = new LinkedHashMap<>();
        for (RtNetlink.Link l : links) {
            indexes.put(l.name(), l.index());
        }
        StringBuilder net = new StringBuilder("# from the kernel (rtnetlink)\n");
        List<String> skipped = new ArrayList<>();
        for (String name : ifaces) {
            RtNetlink.Link l = null;
            for (RtNetlink.Link k : links) {
                if (k.name().equals(name)) {
                    l = k;
                }
            }
            if (l == null) {
                throw new IllegalStateException("interface " + name + " does not exist");
            }
            byIndex.put(l.index(), l);
            net.append("link add ").append(name).append(" address ").append(Addresses.formatMac(l.mac()))
                    .append(" mtu ").append(l.mtu()).append('\n');
        }
        for (RtNetlink.Address a : addresses) {
            RtNetlink.Link l = byIndex.get(a.index());
            if (l == null) {
                continue;
            }
            if (!a.address().isV4()) {
                if (l.mtu() < 1280 || isEui64LinkLocal(a.address(), l.mac())) {
                    continue; // no IPv6 below 1280 bytes; the EUI-64 link-local address jnft derives itself
                }
            }
            net.append("addr add ").append(a.address()).append('/').append(a.prefixLength()).append(" dev ")
                    .append(l.name()).append('\n');
        }
        for (RtNetlink.Route r : routes) {
            RtNetlink.Link l = byIndex.get(r.oif());
            if (l == null || r.protocol() == RTPROT_KERNEL) {
                continue;
            }
            String prefix = r.isDefault() ? "default" : r.dst() + "/" + r.dstLen();
            if (r.type() != RTN_UNICAST) {
                skipped.add("route " + prefix + " dev " + l.name() + " (type " + r.type() + ")");
                continue;
            }
            net.append("route add ").append(prefix);
            if (r.gateway() != null) {
                net.append(" via ").append(r.gateway());
            }
            net.append(" dev ").append(l.name()).append(" metric ").append(Integer.toUnsignedString(r.metric()))
                    .append('\n');
        }
        return new Result(net.toString(), indexes, skipped);
    }

    private static boolean isEui64LinkLocal(RtNetlink.IpAddress a, long mac) {
        long[] ll = Addresses.eui64LinkLocal(mac);
        return a.hi() == ll[0] && a.lo() == ll[1];
    }
}
