package org.jnft.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DevicesTest {
    static final String NET = """
            link add e0 address 02:00:00:00:00:01
            link add e1 address 02:00:00:00:00:02
            link add link e0 name e0.5 type vlan id 5
            addr add 10.0.0.1/24 dev e0
            addr add 10.0.1.1/24 dev e0
            addr add 10.0.0.1/24 dev e1
            addr add 2001:db8:1::1/64 dev e0
            addr add 2001:db8:2::1/64 dev e0
            """;

    @Test
    void registry() throws Exception {
        Devices d = NetFile.parse(NET, "N").devices();
        assertThat(d.count()).isEqualTo(4);
        assertThat(d.all()).extracting(NetDevice::name).containsExactly("lo", "e0", "e1", "e0.5");
        assertThat(d.links()).extracting(NetDevice::name).containsExactly("e0", "e1", "e0.5");
        assertThat(d.byIndex(0)).isNull();
        assertThat(d.byIndex(5)).isNull();
        assertThat(d.byName("nope")).isNull();
        assertThat(d.loopback().isLoopback()).isTrue();
        assertThat(d.loopback().linkLocalHi()).isZero();
        NetDevice e0 = d.byName("e0");
        assertThat(d.byIndex(2)).isSameAs(e0);
        assertThat(d.ownerOfIpv4(0x0a000001)).isSameAs(e0); // also on e1: the first wins
        assertThat(d.byName("e1").hasIpv4(0x0a000001)).isTrue();
        assertThat(d.isLocalIpv4(0x7f000001)).isTrue();
        assertThat(d.ownerOfIpv4(0x7f000001)).isSameAs(d.loopback());
        assertThat(d.isLocalIpv6(0, 1)).isTrue();
        NetDevice v = d.byName("e0.5");
        assertThat(d.ownerOfIpv6(e0.linkLocalHi(), e0.linkLocalLo())).isSameAs(e0);
        assertThat(d.ownerOfIpv6(e0.linkLocalHi(), e0.linkLocalLo(), v.ifindex())).isSameAs(v);
        assertThat(d.ownerOfIpv6(0x2001_0db8_0002_0000L, 1)).isSameAs(e0);
        assertThat(d.isLocalIpv6(0x2001_0db8_0002_0000L, 2)).isFalse();
    }

    @Test
    void sourceSelection() throws Exception {
        Devices d = NetFile.parse(NET, "N").devices();
        NetDevice e0 = d.byName("e0");
        assertThat(e0.primaryIpv4()).isEqualTo(0x0a000001);
        assertThat(e0.ipv4SourceFor(0x0a000105)).isEqualTo(0x0a000101); // 10.0.1.5: the 10.0.1.0/24 address
        assertThat(e0.ipv4SourceFor(0x0a000005)).isEqualTo(0x0a000001);
        assertThat(e0.ipv4SourceFor(0x08080808)).isEqualTo(0x0a000001); // elsewhere: the primary
        assertThat(d.byName("e0.5").primaryIpv4()).isZero();
        assertThat(d.byName("e0.5").ipv4SourceFor(0x08080808)).isZero();

        long[] out = new long[2];
        assertThat(e0.ipv6SourceFor(0x2001_0db8_0002_0005L, 7, out)).isTrue();
        assertThat(out).containsExactly(0x2001_0db8_0002_0000L, 1); // longest common prefix
        assertThat(e0.ipv6SourceFor(0x2606_4700_0000_0000L, 1, out)).isTrue();
        assertThat(out).containsExactly(0x2001_0db8_0001_0000L, 1); // first among equals
        assertThat(e0.ipv6SourceFor(0xfe80_0000_0000_0000L, 1, out)).isTrue();
        assertThat(out).containsExactly(e0.linkLocalHi(), e0.linkLocalLo());
        NetDevice e1 = d.byName("e1");
        assertThat(e1.ipv6SourceFor(0x2001_0db8_0002_0005L, 7, out)).isTrue();
        assertThat(out).containsExactly(e1.linkLocalHi(), e1.linkLocalLo()); // only a link-local
        assertThat(d.loopback().ipv6SourceFor(0, 1, out)).isTrue();
        assertThat(out).containsExactly(0, 1);
    }

    @Test
    void describe() throws Exception {
        Devices d = NetFile.parse(NET, "N").devices();
        assertThat(d.byName("e0.5").describe()).isEqualTo("""
                4: e0.5@e0 mtu 1500 link/ether 02:00:00:00:00:01 vlan id 5
                    inet6 fe80::ff:fe00:1/64""");
    }
}
