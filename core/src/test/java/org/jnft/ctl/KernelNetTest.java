package org.jnft.ctl;

import java.util.List;

import org.jnft.io.linux.RtNetlink;
import org.jnft.packet.Addresses;
import org.jnft.route.NetConfig;
import org.jnft.route.NetFile;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel's view (rtnetlink records) written as NET text, and devices with the kernel's indexes. */
class KernelNetTest {
    static final long MAC = Addresses.parseMac("02:00:00:00:00:01");

    @Test
    void servedLinksTheirAddressesAndRoutes() throws Exception {
        long[] ll = Addresses.eui64LinkLocal(MAC);
        List<RtNetlink.Link> links = List.of(
                new RtNetlink.Link(1, "lo", 0, 65536, 9, true, true, 0, 772, null, -1, 0),
                new RtNetlink.Link(7, "lan0", MAC, 1500, 0x11043, true, true, 6, 1, "veth", -1, 0),
                new RtNetlink.Link(9, "other", MAC + 1, 1500, 0x11043, true, true, 6, 1, "veth", -1, 0));
        List<RtNetlink.Address> addrs = List.of(
                new RtNetlink.Address(7, RtNetlink.IpAddress.v4(Addresses.parseIpv4("10.0.1.1")), 24, 0, 0, "lan0"),
                new RtNetlink.Address(7, new RtNetlink.IpAddress(RtNetlink.AF_INET6, ll[0], ll[1]), 64, 253, 0, null),
                new RtNetlink.Address(9, RtNetlink.IpAddress.v4(Addresses.parseIpv4("10.9.0.1")), 24, 0, 0, "other"));
        List<RtNetlink.Route> routes = List.of(
                new RtNetlink.Route(2, RtNetlink.IpAddress.v4(Addresses.parseIpv4("10.0.1.0")), 24, null, 7, 0, 1, 2, 253, null),
                new RtNetlink.Route(2, RtNetlink.IpAddress.v4(0), 0, RtNetlink.IpAddress.v4(Addresses.parseIpv4("10.0.1.254")),
                        7, 0, 1, 4, 0, null),
                new RtNetlink.Route(2, RtNetlink.IpAddress.v4(Addresses.parseIpv4("10.5.0.0")), 16, null, 7, 0, 6, 4, 0, null),
                new RtNetlink.Route(2, RtNetlink.IpAddress.v4(Addresses.parseIpv4("10.6.0.0")), 16, null, 9, 0, 1, 4, 0, null));
        KernelNet.Result r = KernelNet.describe(List.of("lan0"), links, addrs, routes);
        assertEquals("""
                # from the kernel (rtnetlink)
                link add lan0 address 02:00:00:00:00:01 mtu 1500
                addr add 10.0.1.1/24 dev lan0
                route add default via 10.0.1.254 dev lan0 metric 0
                """, r.text());
        assertEquals(List.of("route 10.5.0.0/16 dev lan0 (type 6)"), r.skipped());
        NetConfig net = NetFile.parse(r.text(), "kernel");
        net.useIfindexes(r.indexes());
        assertEquals(7, net.devices().byName("lan0").ifindex());
        assertEquals("lan0", net.devices().byIndex(7).name());
        assertTrue(net.devices().byIndex(2) == null);
        assertThrows(IllegalStateException.class, () -> KernelNet.describe(List.of("nope"), links, addrs, routes));
    }
}
