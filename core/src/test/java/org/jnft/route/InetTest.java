package org.jnft.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class InetTest {
    @Test
    void ipv4() {
        assertThat(Inet.parse4("10.0.0.1")).isEqualTo(0x0a000001);
        assertThat(Inet.parse4("255.255.255.255")).isEqualTo(-1);
        assertThat(Inet.format4(0xc0a80101)).isEqualTo("192.168.1.1");
        for (String bad : new String[] {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1..2.3", "1.2.3.4 ",
            "a.b.c.d", "-1.2.3.4", "1.2.3.4/"}) {
            assertThatThrownBy(() -> Inet.parse4(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void ipv6() {
        assertThat(Inet.parse6("::")).containsExactly(0, 0);
        assertThat(Inet.parse6("::1")).containsExactly(0, 1);
        assertThat(Inet.parse6("fe80::ff:fe00:1")).containsExactly(0xfe80_0000_0000_0000L, 0x0000_00ff_fe00_0001L);
        assertThat(Inet.parse6("2001:db8:0:0:1:0:0:1")).containsExactly(0x2001_0db8_0000_0000L, 0x0001_0000_0000_0001L);
        assertThat(Inet.parse6("::ffff:10.0.0.1")).containsExactly(0, 0x0000_ffff_0a00_0001L);
        assertThat(Inet.parse6("1::")).containsExactly(0x0001_0000_0000_0000L, 0);
        assertThat(Inet.format6(0x2001_0db8_0000_0000L, 0x0001_0000_0000_0001L)).isEqualTo("2001:db8::1:0:0:1");
        assertThat(Inet.format6(0x2001_0db8_0000_0001L, 0x0001_0001_0001_0001L)).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(Inet.format6(0, 0)).isEqualTo("::");
        assertThat(Inet.format6(0, 1)).isEqualTo("::1");
        assertThat(Inet.format6(0x0001_0000_0000_0000L, 0)).isEqualTo("1::");
        assertThat(Inet.format6(0, 0x0000_ffff_0a00_0001L)).isEqualTo("::ffff:10.0.0.1");
        for (String bad : new String[] {"", ":", ":::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::",
            "g::", ":1::", "1::2:", "1:2:3:4:5:6:7::8", "::1.2.3", "1:2:3:4:5:6:7:1.2.3.4"}) {
            assertThatThrownBy(() -> Inet.parse6(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void ipv6RoundTripRandom() {
        long seed = 99;
        Random rnd = new Random(seed);
        for (int i = 0; i < 5000; i++) {
            long hi = rnd.nextInt(3) == 0 ? 0 : rnd.nextLong();
            long lo = rnd.nextInt(3) == 0 ? rnd.nextInt(70000) : rnd.nextLong();
            if (rnd.nextBoolean()) {
                hi &= 0xffff_0000_ffff_0000L;
            }
            String s = Inet.format6(hi, lo);
            assertThat(Inet.parse6(s)).as("seed %d: %s", seed, s).containsExactly(hi, lo);
        }
    }

    @Test
    void mac() {
        assertThat(Inet.parseMac("02:00:00:00:00:01")).isEqualTo(0x0200_0000_0001L);
        assertThat(Inet.parseMac("2:0:0:0:0:a")).isEqualTo(0x0200_0000_000aL);
        assertThat(Inet.formatMac(0xfeff_ffff_fffeL)).isEqualTo("fe:ff:ff:ff:ff:fe");
        for (String bad : new String[] {"", "02:00:00:00:00", "02:00:00:00:00:01:02", "020:00:00:00:00:01",
            "0g:00:00:00:00:01", "02-00-00-00-00-01", "02:00:00:00:00:"}) {
            assertThatThrownBy(() -> Inet.parseMac(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** Values checked against Linux (veth pairs in a network namespace, `ip -6 -br addr`). */
    @Test
    void eui64AsLinux() {
        assertThat(ll("02:00:00:00:00:01")).isEqualTo("fe80::ff:fe00:1");
        assertThat(ll("52:54:00:12:34:56")).isEqualTo("fe80::5054:ff:fe12:3456");
        assertThat(ll("00:11:22:33:44:55")).isEqualTo("fe80::211:22ff:fe33:4455");
        assertThat(ll("fe:ff:ff:ff:ff:fe")).isEqualTo("fe80::fcff:ffff:feff:fffe");
    }

    static String ll(String mac) {
        return Inet.format6(Inet.LINK_LOCAL_HI, Inet.eui64(Inet.parseMac(mac)));
    }

    @Test
    void masks() {
        assertThat(Inet.mask4(0)).isZero();
        assertThat(Inet.mask4(24)).isEqualTo(0xffffff00);
        assertThat(Inet.mask4(32)).isEqualTo(-1);
        assertThat(Inet.mask6Hi(0)).isZero();
        assertThat(Inet.mask6Hi(10)).isEqualTo(0xffc0_0000_0000_0000L);
        assertThat(Inet.mask6Hi(64)).isEqualTo(-1L);
        assertThat(Inet.mask6Lo(64)).isZero();
        assertThat(Inet.mask6Lo(65)).isEqualTo(0x8000_0000_0000_0000L);
        assertThat(Inet.mask6Lo(128)).isEqualTo(-1L);
        assertThat(Inet.isLinkLocal6(0xfebf_0000_0000_0000L)).isTrue();
        assertThat(Inet.isLinkLocal6(0xfec0_0000_0000_0000L)).isFalse();
    }
}
