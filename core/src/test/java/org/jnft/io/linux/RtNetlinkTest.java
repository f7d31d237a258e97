package org.jnft.io.linux;

import java.nio.file.NoSuchFileException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jnft.packet.Addresses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** rtnetlink dumps compared with {@code ip -j} in the same throw-away namespace; notifications; sysctls. */
class RtNetlinkTest {
    static Netns nets;
    static String ns;

    @BeforeAll
    static void setUp() throws Exception {
        nets = new Netns();
        ns = nets.add("rt");
        for (String c : new String[] {
                "link add v0 type veth peer name v1",
                "link set v0 address 02:11:22:33:44:55 mtu 9000 up",
                "link add v0.100 type veth peer name v3", // this kernel has no 8021q: a veth with a dotted name
                "link set v0.100 mtu 1400 up",
                "addr add 10.88.0.1/24 dev v0",
                "addr add 10.88.0.9/32 dev v0",
                "addr add 2001:db8:88::1/64 dev v0 nodad",
                "addr add 10.88.1.1/30 dev v0.100",
                "route add 10.99.0.0/16 via 10.88.0.254 metric 50",
                "route add default via 10.88.0.254",
                "route add blackhole 10.66.0.0/16",
                "route add 192.0.2.7 dev v0.100",
                "-6 route add 2001:db8:99::/48 via 2001:db8:88::fe metric 7",
                "-6 route add default via fe80::1 dev v0"}) {
            nets.ip(ns, c);
        }
    }

    @AfterAll
    static void tearDown() {
        if (nets != null) {
            nets.close();
        }
    }

    static <T> T in(java.util.concurrent.Callable<T> body) throws Exception {
        return nets.in(ns, body);
    }

    @Test
    void linksMatchIpLink() throws Exception {
        List<RtNetlink.Link> links = in(() -> {
            try (RtNetlink nl = RtNetlink.open()) {
                return nl.links();
            }
        });
        Set<String> ours = new TreeSet<>();
        Map<Integer, String> names = new HashMap<>();
        links.forEach(l -> names.put(l.index(), l.name()));
        for (RtNetlink.Link l : links) {
            ours.add(l.index() + " " + l.name() + " mtu " + l.mtu() + " " + Addresses.formatMac(l.mac())
                    + (l.up() ? " UP" : " DOWN") + (l.lowerUp() ? " LOWER_UP" : "")
                    + " kind " + l.kind() + " vlan " + l.vlanId()
                    + " parent " + ("vlan".equals(l.kind()) ? names.get(l.parentIndex()) : "-"));
        }
        Set<String> theirs = new TreeSet<>();
        for (Map<String, Object> j : Json.list(nets.ip(ns, "-j -d link show"))) {
            @SuppressWarnings("unchecked")
            List<String> flags = (List<String>) j.get("flags");
            @SuppressWarnings("unchecked")
            Map<String, Object> info = (Map<String, Object>) j.getOrDefault("linkinfo", Map.of());
            @SuppressWarnings("unchecked")
            Map<String, Object> data = (Map<String, Object>) info.getOrDefault("info_data", Map.of());
            String kind = (String) info.get("info_kind");
            theirs.add(j.get("ifindex") + " " + j.get("ifname") + " mtu " + j.get("mtu") + " " + j.get("address")
                    + (flags.contains("UP") ? " UP" : " DOWN") + (flags.contains("LOWER_UP") ? " LOWER_UP" : "")
                    + " kind " + kind + " vlan " + ("vlan".equals(kind) ? data.get("id") : -1)
                    + " parent " + ("vlan".equals(kind) ? j.get("link") : "-"));
        }
        assertThat(ours).isEqualTo(theirs);
        assertThat(ours).anyMatch(s -> s.contains(" v0 mtu 9000 02:11:22:33:44:55 UP kind veth"))
                .anyMatch(s -> s.contains(" v0.100 mtu 1400 ") && s.contains(" UP kind veth"));
    }

    @Test
    void addressesMatchIpAddr() throws Exception {
        List<RtNetlink.Address> addrs = in(() -> {
            try (RtNetlink nl = RtNetlink.open()) {
                return nl.addresses();
            }
        });
        Set<String> ours = new TreeSet<>();
        for (RtNetlink.Address a : addrs) {
            ours.add(a.index() + " " + (a.address().isV4() ? "inet " : "inet6 ") + a.address() + "/" + a.prefixLength()
                    + " scope " + a.scope());
        }
        Set<String> theirs = new TreeSet<>();
        Map<String, Integer> scopes = Map.of("global", 0, "link", 253, "host", 254);
        for (Map<String, Object> j : Json.list(nets.ip(ns, "-j addr show"))) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> infos = (List<Map<String, Object>>) j.get("addr_info");
            for (Map<String, Object> a : infos) {
                theirs.add(j.get("ifindex") + " " + a.get("family") + " " + a.get("local") + "/" + a.get("prefixlen")
                        + " scope " + scopes.get((String) a.get("scope")));
            }
        }
        assertThat(ours).isEqualTo(theirs);
        assertThat(ours).anyMatch(s -> s.endsWith("inet 10.88.1.1/30 scope 0"))
                .anyMatch(s -> s.endsWith("inet6 2001:db8:88::1/64 scope 0"));
    }

    @Test
    void routesMatchIpRouteOfTheMainTable() throws Exception {
        List<RtNetlink.Route> routes = in(() -> {
            try (RtNetlink nl = RtNetlink.open()) {
                return nl.routes();
            }
        });
        Map<Integer, String> names = new HashMap<>();
        in(() -> {
            try (RtNetlink nl = RtNetlink.open()) {
                nl.links().forEach(l -> names.put(l.index(), l.name()));
            }
            return null;
        });
        String[] types = {"unspec", "unicast", "local", "broadcast", "anycast", "multicast", "blackhole",
                "unreachable", "prohibit", "throw"};
        Set<String> ours = new TreeSet<>();
        for (RtNetlink.Route r : routes) {
            ours.add(types[r.type()] + " " + r.dst() + "/" + r.dstLen() + " via " + r.gateway() + " dev "
                    + (r.oif() == 0 ? null : names.get(r.oif())) + " metric " + r.metric());
        }
        Set<String> theirs = new TreeSet<>();
        for (String fam : new String[] {"-4", "-6"}) {
            for (Map<String, Object> j : Json.list(nets.ip(ns, "-j " + fam + " route show table main"))) {
                String dst = (String) j.get("dst");
                if (dst.equals("default")) {
                    dst = fam.equals("-4") ? "0.0.0.0/0" : "::/0";
                } else if (!dst.contains("/")) {
                    dst += fam.equals("-4") ? "/32" : "/128";
                }
                Object type = j.getOrDefault("type", "unicast");
                theirs.add(type + " " + dst + " via " + j.get("gateway") + " dev " + j.get("dev")
                        + " metric " + j.getOrDefault("metric", 0L));
            }
        }
        assertThat(ours).isEqualTo(theirs);
        assertThat(ours).contains("unicast 10.99.0.0/16 via 10.88.0.254 dev v0 metric 50",
                "blackhole 10.66.0.0/16 via null dev null metric 0",
                "unicast 2001:db8:99::/48 via 2001:db8:88::fe dev v0 metric 7",
                "unicast ::/0 via fe80::1 dev v0 metric 1024");
    }

    @Test
    void notificationsReportLinkAddressAndRouteChanges() throws Exception {
        try (RtNetlink mon = in(() -> RtNetlink.subscribe(RtNetlink.ALL_GROUPS))) {
            assertThat(mon.poll()).isEmpty();
            nets.ip(ns, "link add n0 type bridge"); // no dummy module on every kernel
            nets.ip(ns, "link set n0 up");
            nets.ip(ns, "addr add 10.55.0.1/24 dev n0");
            nets.ip(ns, "route add 10.56.0.0/16 via 10.55.0.2");
            nets.ip(ns, "route del 10.56.0.0/16");
            nets.ip(ns, "link del n0"); // IPv4 routes flushed with a device are not notified: deleted above
            StringBuilder seen = new StringBuilder();
            long end = System.nanoTime() + 3_000_000_000L;
            while (!seen.toString().contains("link del n0") && System.nanoTime() < end) {
                for (RtNetlink.Event e : mon.poll()) {
                    switch (e) {
                        case RtNetlink.LinkEvent l -> seen.append("link ").append(l.removed() ? "del " : "new ")
                                .append(l.link().name()).append(l.link().up() ? " up" : "").append('\n');
                        case RtNetlink.AddressEvent a -> seen.append("addr ").append(a.removed() ? "del " : "new ")
                                .append(a.address().address()).append('/').append(a.address().prefixLength()).append('\n');
                        case RtNetlink.RouteEvent r -> seen.append("route ").append(r.removed() ? "del " : "new ")
                                .append(r.route().dst()).append('/').append(r.route().dstLen()).append('\n');
                        case RtNetlink.Overrun o -> seen.append("overrun\n");
                    }
                }
                Thread.sleep(10);
            }
            assertThat(seen.toString()).contains("link new n0\n", "link new n0 up\n", "addr new 10.55.0.1/24\n",
                    "route new 10.55.0.0/24\n", "route new 10.56.0.0/16\n", "addr del 10.55.0.1/24\n",
                    "route del 10.56.0.0/16\n", "link del n0\n");
        }
    }

    @Test
    void sysctlsTellWhetherTheKernelForwardsInTheNamespace() throws Exception {
        assertThat(in(() -> Sysctl.read("net.ipv4.ip_forward"))).isEqualTo("0");
        assertThat(in(Sysctl::kernelForwarding)).isEmpty();
        nets.exec(ns, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward; echo 1 > /proc/sys/net/ipv6/conf/all/forwarding");
        try {
            assertThat(in(Sysctl::kernelForwarding))
                    .containsExactly("net.ipv4.ip_forward = 1", "net.ipv6.conf.all.forwarding = 1");
        } finally {
            nets.exec(ns, "sh", "-c", "echo 0 > /proc/sys/net/ipv4/ip_forward; echo 0 > /proc/sys/net/ipv6/conf/all/forwarding");
        }
        assertThatThrownBy(() -> Sysctl.read("net.ipv4.jnft_no_such_knob")).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("/proc/sys/net/ipv4/jnft_no_such_knob");
    }
}
