package org.jnft.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetFileTest {
    @TempDir
    Path dir;

    static final String NET = """
            # a router with two links and a vlan
            link add r1 address 02:00:00:00:00:01
            link add r2 address 02:00:00:00:00:02 mtu 9000   # jumbo

            link add link r2 name r2.10 type vlan id 10
            link add link r2 name r2.20 type vlan id 20 mtu 1400
            addr add 10.0.1.1/24 dev r1
            addr add 2001:db8:1::1/64 dev r1
            address add 198.51.100.1/24 dev r2
            addr add 10.0.10.1/24 dev r2.10
            route add 203.0.113.0/24 via 198.51.100.254 dev r2 metric 10
            route add default via 198.51.100.254 dev r2
            route add 2001:db8:99::/48 via fe80::1 dev r1
            route add default via 2001:db8:1::fe dev r1
            neigh add 198.51.100.254 lladdr 02:00:00:00:00:fe dev r2
            neighbour add fe80::1 lladdr 02:00:00:00:01:01 dev r1
            """;

    static long ip4(String s) {
        return Inet.parse4(s);
    }

    @Test
    void everyLineKind() throws Exception {
        Path f = dir.resolve("net.txt");
        Files.writeString(f, NET);
        NetConfig c = NetFile.parse(f, "NET");
        Devices d = c.devices();
        assertThat(c.linkNames()).containsExactly("r1", "r2", "r2.10", "r2.20");
        assertThat(d.count()).isEqualTo(5);
        assertThat(d.links()).extracting(NetDevice::name).containsExactly("r1", "r2", "r2.10", "r2.20");
        assertThat(d.links()).extracting(NetDevice::ifindex).containsExactly(2, 3, 4, 5);
        NetDevice lo = d.byIndex(1);
        assertThat(lo.name()).isEqualTo("lo");
        assertThat(lo.mtu()).isEqualTo(65536);
        assertThat(lo.ipv4Addresses()).containsExactly(0x7f000001);
        assertThat(lo.hasIpv6(0, 1)).isTrue();
        NetDevice r1 = d.byName("r1");
        NetDevice r2 = d.byName("r2");
        NetDevice v10 = d.byName("r2.10");
        NetDevice v20 = d.byName("r2.20");
        assertThat(r1.mtu()).isEqualTo(1500);
        assertThat(r2.mtu()).isEqualTo(9000);
        assertThat(v10.mtu()).isEqualTo(9000);
        assertThat(v20.mtu()).isEqualTo(1400);
        assertThat(v10.parent()).isSameAs(r2);
        assertThat(v10.vlanId()).isEqualTo(10);
        assertThat(v10.mac()).isEqualTo(r2.mac()).isEqualTo(0x0200_0000_0002L);
        assertThat(r1.vlanId()).isZero();
        assertThat(r1.parent()).isNull();
        assertThat(r1.linkLocalHi()).isEqualTo(0xfe80_0000_0000_0000L);
        assertThat(r1.linkLocalLo()).isEqualTo(0x0000_00ff_fe00_0001L);
        assertThat(v10.linkLocalLo()).isEqualTo(r2.linkLocalLo());
        assertThat(r1.ipv4Addresses()).containsExactly((int) ip4("10.0.1.1"));
        assertThat(r1.ipv4PrefixLengths()).containsExactly(24);
        assertThat(r1.ipv6Count()).isEqualTo(2); // 2001:db8:1::1/64 and the link-local, last
        assertThat(r1.ipv6PrefixLength(1)).isEqualTo(64);
        assertThat(d.ownerOfIpv4((int) ip4("10.0.10.1"))).isSameAs(v10);
        assertThat(d.isLocalIpv4((int) ip4("10.0.10.2"))).isFalse();

        Fib fib = c.fib();
        Route r = fib.lookup4((int) ip4("203.0.113.7"));
        assertThat(r.device()).isSameAs(r2);
        assertThat(r.gateway4()).isEqualTo((int) ip4("198.51.100.254"));
        assertThat(r.metric()).isEqualTo(10);
        assertThat(r.prefixLength()).isEqualTo(24);
        r = fib.lookup4((int) ip4("8.8.8.8"));
        assertThat(r.prefixLength()).isZero();
        assertThat(r.hasGateway()).isTrue();
        long[] a = Inet.parse6("2001:db8:99::5");
        r = fib.lookup6(a[0], a[1]);
        assertThat(r.device()).isSameAs(r1);
        assertThat(r.metric()).isEqualTo(1024);
        assertThat(r.gatewayHi()).isEqualTo(0xfe80_0000_0000_0000L);
        assertThat(r.gatewayLo()).isEqualTo(1);
        a = Inet.parse6("2606:4700::1");
        r = fib.lookup6(a[0], a[1]);
        assertThat(r.prefixLength()).isZero();
        assertThat(r.toString()).isEqualTo("default via 2001:db8:1::fe dev r1 metric 1024");

        Neighbours n = c.neighbours();
        assertThat(n.lookup4(3, (int) ip4("198.51.100.254"))).isEqualTo(0x0200_0000_00feL);
        assertThat(n.lookup4(2, (int) ip4("198.51.100.254"))).isEqualTo(Neighbours.NONE);
        assertThat(n.lookup6(2, 0xfe80_0000_0000_0000L, 1)).isEqualTo(0x0200_0000_0101L);
        assertThat(c.neighbours()).isNotSameAs(n);
    }

    @Test
    void mainTableOrderAsLinux() throws Exception {
        NetConfig c = NetFile.parse(NET, "NET");
        assertThat(c.fib().routes().stream().filter(r -> r.table() == Route.TABLE_MAIN).map(Route::toString))
                .containsExactly(
                        "fe80::/64 dev r1 proto kernel metric 256",
                        "fe80::/64 dev r2 proto kernel metric 256",
                        "fe80::/64 dev r2.10 proto kernel metric 256",
                        "fe80::/64 dev r2.20 proto kernel metric 256",
                        "10.0.1.0/24 dev r1 proto kernel",
                        "2001:db8:1::/64 dev r1 proto kernel metric 256",
                        "198.51.100.0/24 dev r2 proto kernel",
                        "10.0.10.0/24 dev r2.10 proto kernel",
                        "203.0.113.0/24 via 198.51.100.254 dev r2 metric 10",
                        "default via 198.51.100.254 dev r2",
                        "2001:db8:99::/48 via fe80::1 dev r1 metric 1024",
                        "default via 2001:db8:1::fe dev r1 metric 1024");
    }

    @Test
    void localTableAsLinux() throws Exception {
        NetConfig c = NetFile.parse("link add r1 address 02:00:00:00:00:01\naddr add 10.0.0.1/24 dev r1\n"
                + "addr add 2001:db8::1/128 dev r1\n", "NET");
        assertThat(c.fib().routes().stream().filter(r -> r.table() == Route.TABLE_LOCAL).map(Route::toString))
                .containsExactly(
                        "local 127.0.0.1 dev lo table local proto kernel",
                        "local 127.0.0.0/8 dev lo table local proto kernel",
                        "broadcast 127.255.255.255 dev lo table local proto kernel",
                        "local ::1 dev lo table local proto kernel metric 0",
                        "local fe80::ff:fe00:1 dev r1 table local proto kernel metric 0",
                        "anycast fe80:: dev r1 table local proto kernel metric 0",
                        "multicast ff00::/8 dev r1 table local proto kernel metric 256",
                        "local 10.0.0.1 dev r1 table local proto kernel",
                        "broadcast 10.0.0.255 dev r1 table local proto kernel",
                        "local 2001:db8::1 dev r1 table local proto kernel metric 0",
                        "broadcast 255.255.255.255 table local proto kernel");
        assertThat(c.fib().routes().stream().filter(r -> r.table() == Route.TABLE_MAIN).map(Route::toString))
                .contains("2001:db8::1 dev r1 proto kernel metric 256");
    }

    @Test
    void commentsBlankLinesAndSynonyms() throws Exception {
        NetConfig c = NetFile.parse("""
                   # only comments
                \t
                link add name e0 mtu 1280 address 2:0:0:0:0:a#no space before the comment
                neighbor add 10.0.0.2 dev e0 lladdr 02:00:00:00:00:02
                addr add 10.0.0.1 dev e0
                addr add 2001:db8::1 dev e0
                route add 10.1.0.0/16 dev e0 metric 7
                route add 2001:db8:5::/64 metric 0 dev e0
                """, "N");
        NetDevice e0 = c.devices().byName("e0");
        assertThat(e0.mac()).isEqualTo(0x0200_0000_000aL);
        assertThat(e0.mtu()).isEqualTo(1280);
        assertThat(e0.ipv4PrefixLengths()).containsExactly(32);
        assertThat(e0.ipv6PrefixLength(0)).isEqualTo(128);
        Route r = c.fib().lookup4(0x0a010203);
        assertThat(r.metric()).isEqualTo(7);
        assertThat(r.hasGateway()).isFalse();
        long[] a = Inet.parse6("2001:db8:5::1");
        assertThat(c.fib().lookup6(a[0], a[1]).metric()).isEqualTo(1024);
        // a /32 address adds no connected route
        assertThat(c.fib().lookup4(0x0a000002)).isNull();
        assertThat(c.neighbours().lookup4(2, 0x0a000002)).isEqualTo(0x0200_0000_0002L);
    }

    @Test
    void smallMtuLinkHasNoIpv6() throws Exception {
        NetConfig c = NetFile.parse("link add e0 address 02:00:00:00:00:01 mtu 1279\n", "N");
        NetDevice e0 = c.devices().byName("e0");
        assertThat(e0.hasIpv6()).isFalse();
        assertThat(e0.linkLocalHi()).isZero();
        assertThat(e0.ipv6Count()).isZero();
        assertThat(c.fib().lookup6(0xfe80_0000_0000_0000L, 5)).isNull();
    }

    static final String BASE = """
            link add e0 address 02:00:00:00:00:01
            link add e1 address 02:00:00:00:00:02 mtu 1000
            addr add 10.0.0.1/24 dev e0
            addr add 2001:db8::1/64 dev e0
            """;

    void err(String line, String message) {
        assertThatThrownBy(() -> NetFile.parse(BASE + line + "\n", "net.conf"))
                .isInstanceOf(NetFileException.class)
                .hasMessage("net.conf:5: " + message)
                .satisfies(e -> assertThat(((NetFileException) e).line()).isEqualTo(5));
    }

    @Test
    void errors() {
        err("ip link add x address 02:00:00:00:00:09", "unknown command \"ip\" (expected link, addr, route or neigh)");
        err("link", "\"link\" needs \"add\"");
        err("link del e0", "unsupported command \"link del\" (only \"add\")");
        err("rule add from all", "unknown command \"rule\" (expected link, addr, route or neigh)");
        err("link add", "missing link name");
        err("link add e2", "missing \"address MAC\" for link e2");
        err("link add e2 address", "missing value after \"address\"");
        err("link add e2 address 02:00:00:00:00:09 type veth",
                "unexpected word \"type\" (expected one of address, mtu)");
        err("link add e2 address 02:00:00:00:00:09 mtu 1500 mtu 1400", "\"mtu\" given twice");
        err("link add e0 address 02:00:00:00:00:09", "duplicate link name \"e0\"");
        err("link add lo address 02:00:00:00:00:09", "duplicate link name \"lo\"");
        err("link add abcdefghijklmnop address 02:00:00:00:00:09",
                "invalid interface name \"abcdefghijklmnop\" (1 to 15 bytes, not \".\" or \"..\")");
        err("link add .. address 02:00:00:00:00:09", "invalid interface name \"..\" (1 to 15 bytes, not \".\" or \"..\")");
        err("link add a/b address 02:00:00:00:00:09",
                "invalid interface name \"a/b\" (no '/', ':', '%' or whitespace)");
        err("link add e2 address 02:00:00:00:00", "invalid MAC address \"02:00:00:00:00\"");
        err("link add e2 address 01:00:5e:00:00:01", "MAC address 01:00:5e:00:00:01 is a multicast address");
        err("link add e2 address 00:00:00:00:00:00", "MAC address 00:00:00:00:00:00 is all zeros");
        err("link add e2 address 02:00:00:00:00:09 mtu 67", "mtu 67 out of range 68..65535");
        err("link add e2 address 02:00:00:00:00:09 mtu 65536", "mtu 65536 out of range 68..65535");
        err("link add e2 address 02:00:00:00:00:09 mtu 1e3", "invalid mtu \"1e3\"");
        err("link add link e9 name v type vlan id 5", "Cannot find device \"e9\"");
        err("link add link e0 name v type macvlan id 5", "unsupported link type \"macvlan\" (only vlan)");
        err("link add link e0 name v id 5", "missing \"type vlan\"");
        err("link add link e0 type vlan id 5", "missing \"name NAME\"");
        err("link add link e0 name v type vlan", "missing \"id N\"");
        err("link add link e0 name v type vlan id 4095", "vlan id 4095 out of range 1..4094");
        err("link add link e0 name v type vlan id 0", "vlan id 0 out of range 1..4094");
        err("link add link e0 name e1 type vlan id 5", "duplicate link name \"e1\"");
        err("link add link e0 name v type vlan id 5 mtu 1501", "mtu 1501 exceeds parent e0's mtu 1500");
        err("link add link lo name v type vlan id 5", "cannot add a vlan to lo");
        err("addr add 10.0.0.300/24 dev e0", "invalid IPv4 address \"10.0.0.300\"");
        err("addr add 10.0.0.3/33 dev e0", "invalid prefix length \"33\" (0..32)");
        err("addr add 10.0.0.3/x dev e0", "invalid prefix length \"x\"");
        err("addr add 2001:db8::3/129 dev e0", "invalid prefix length \"129\" (0..128)");
        err("addr add 2001:db8:::3/64 dev e0", "invalid IPv6 address \"2001:db8:::3\"");
        err("addr add 10.0.0.3/24 dev e9", "Cannot find device \"e9\"");
        err("addr add 10.0.0.3/24", "missing \"dev\"");
        err("addr add 10.0.0.1/24 dev e0", "address 10.0.0.1/24 exists already on e0");
        err("addr add 2001:db8::1/80 dev e0", "address 2001:db8::1 exists already on e0");
        err("addr add 2001:db8:1::1/64 dev e1", "e1 has no IPv6: mtu 1000 is below 1280");
        err("route add 10.1.0.0/15 dev e0", "Invalid prefix for given prefix length.");
        err("route add 10.1.0.0/16 via 10.9.0.1 dev e0", "Nexthop has invalid gateway.");
        err("route add 10.1.0.0/16 via 10.0.0.2 dev e1", "Nexthop has invalid gateway.");
        err("route add 2001:db8:2::/48 via 2001:db8::1 dev e0", "Gateway can not be a local address.");
        err("route add 2001:db8:2::/48 via 2001:db9::1 dev e0", "Nexthop has invalid gateway.");
        err("route add 10.1.0.0/16 via 2001:db8::2 dev e0", "gateway 2001:db8::2 is not an IPv4 address");
        err("route add 10.0.0.0/24 dev e1", "route 10.0.0.0/24 metric 0 exists already (dev e0): File exists");
        err("route add 2001:db8::/64 metric 256 dev e0",
                "route 2001:db8::/64 metric 256 exists already (dev e0): File exists");
        err("route add 10.1.0.0/16 dev e0 metric 4294967296", "metric 4294967296 out of range 0..4294967295");
        err("route add 10.1.0.0/16 dev e0 metric -1", "invalid metric \"-1\"");
        err("route add 10.1.0.0/16 via 10.0.0.2", "missing \"dev\"");
        err("route add 10.1.0.0/16 dev e0 table 5", "unexpected word \"table\" (expected one of via, dev, metric)");
        err("route add 2001:db8:7::/64 dev e1", "e1 has no IPv6: mtu 1000 is below 1280");
        err("neigh add 10.0.0.2 dev e0", "missing \"lladdr\"");
        err("neigh add 10.0.0.2 lladdr 02:00:00:00:00:0g dev e0", "invalid MAC address \"02:00:00:00:00:0g\"");
        err("neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev e7", "Cannot find device \"e7\"");
        err("neigh add fe80::2 lladdr 02:00:00:00:00:02 dev e1", "e1 has no IPv6: mtu 1000 is below 1280");
    }

    @Test
    void duplicatesOnLaterLines() {
        assertThatThrownBy(() -> NetFile.parse(BASE + "neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev e0\n\n"
                + "neigh add 10.0.0.2 lladdr 02:00:00:00:00:03 dev e0\n", "F"))
                .hasMessage("F:7: neighbour 10.0.0.2 dev e0 exists already: File exists");
        assertThatThrownBy(() -> NetFile.parse(BASE + "link add link e0 name v1 type vlan id 5\n"
                + "link add link e0 name v2 type vlan id 5\n", "F"))
                .hasMessage("F:6: vlan id 5 exists already on e0");
        assertThatThrownBy(() -> NetFile.parse(BASE + "link add link e0 name v1 type vlan id 5\n"
                + "link add link v1 name v2 type vlan id 6\n", "F"))
                .hasMessage("F:6: parent v1 is a vlan: stacked vlans are not supported");
    }

    @Test
    void gatewaysAsLinux() throws Exception {
        // Linux accepts a local IPv4 gateway
        NetConfig c = NetFile.parse(BASE + "route add 10.1.0.0/16 via 10.0.0.1 dev e0\n", "F");
        assertThat(c.fib().lookup4(0x0a010000).gateway4()).isEqualTo(0x0a000001);
        // IPv4: gateway routes do not count, a shorter scope-link route on the device does
        NetFile.parse(BASE + "route add 10.6.0.0/16 dev e0\nroute add 10.6.1.0/24 via 10.0.0.5 dev e0\n"
                + "route add 10.7.0.0/16 via 10.6.1.5 dev e0\n", "F");
        // IPv6: the longest match on the device must have no gateway
        assertThatThrownBy(() -> NetFile.parse(BASE + "route add 2001:db8::/80 via fe80::1 dev e0\n"
                + "route add 2001:db8:7::/48 via 2001:db8::5 dev e0\n", "F"))
                .hasMessage("F:6: Nexthop has invalid gateway.");
        NetFile.parse(BASE + "route add 2001:db8::/80 via fe80::1 dev e0\n"
                + "route add 2001:db8:7::/48 via 2001:db8::1:0:0:5 dev e0\n", "F");
    }

    @Test
    void routeBeforeAddressWinsTies() throws Exception {
        // Linux: the connected route is appended after an existing route of the same prefix and metric
        NetConfig c = NetFile.parse("""
                link add e0 address 02:00:00:00:00:01
                link add e1 address 02:00:00:00:00:02
                route add 10.0.0.0/24 dev e1
                addr add 10.0.0.1/24 dev e0
                """, "F");
        Route r = c.fib().lookup4(0x0a000005);
        assertThat(r.device().name()).isEqualTo("e1");
        assertThat(r.isKernel()).isFalse();
    }

    @Test
    void unreadableFile() {
        assertThatThrownBy(() -> NetFile.parse(dir.resolve("missing"), "missing.net"))
                .isInstanceOf(NetFileException.class)
                .hasMessageStartingWith("missing.net: cannot read: ");
    }

    @Test
    void defaultFamilyFollowsGateway() throws Exception {
        NetConfig c = NetFile.parse(BASE + "route add default dev e0\nroute add default via fe80::1 dev e0\n", "F");
        assertThat(c.fib().lookup4(0x08080808).toString()).isEqualTo("default dev e0");
        assertThat(c.fib().lookup6(0x2a00_0000_0000_0000L, 1).toString())
                .isEqualTo("default via fe80::1 dev e0 metric 1024");
    }
}
