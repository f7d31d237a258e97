package org.jnft.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AddressesTest {
    private static long[] words(String hex) {
        return new long[] {Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16)};
    }

    @Test
    void macRoundTrip() {
        assertThat(Addresses.parseMac("02:00:00:00:00:01")).isEqualTo(0x020000000001L);
        assertThat(Addresses.parseMac("AA:bb:Cc:dd:EE:ff")).isEqualTo(0xaabbccddeeffL);
        assertThat(Addresses.parseMac("0:1:2:3:4:5")).isEqualTo(0x000102030405L);
        assertThat(Addresses.parseMac("aa-bb-cc-dd-ee-ff")).isEqualTo(0xaabbccddeeffL);
        assertThat(Addresses.formatMac(0xaabbccddeeffL)).isEqualTo("aa:bb:cc:dd:ee:ff");
        assertThat(Addresses.formatMac(0x000102030405L)).isEqualTo("00:01:02:03:04:05");
        Random r = new Random(48);
        for (int i = 0; i < 1000; i++) {
            long mac = r.nextLong() & 0xffff_ffff_ffffL;
            assertThat(Addresses.parseMac(Addresses.formatMac(mac))).as("seed 48 #%d", i).isEqualTo(mac);
        }
    }

    @Test
    void badMacs() {
        for (String bad : new String[] {"", "02:00:00:00:00", "02:00:00:00:00:01:02", "02:00:00:00:00:001",
            "02:00:00:00:00:0g", "02:00:00:00:00:", "02:00-00:00:00:01", "020000000001", " 02:00:00:00:00:01", null}) {
            assertThatThrownBy(() -> Addresses.parseMac(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("MAC");
        }
    }

    @Test
    void ipv4() {
        assertThat(Addresses.parseIpv4("10.0.1.2")).isEqualTo(0x0a000102);
        assertThat(Addresses.parseIpv4("255.255.255.255")).isEqualTo(-1);
        assertThat(Addresses.parseIpv4("0.0.0.0")).isZero();
        assertThat(Addresses.formatIpv4(0xc6336414)).isEqualTo("198.51.100.20");
        Random r = new Random(4);
        for (int i = 0; i < 1000; i++) {
            int a = r.nextInt();
            assertThat(Addresses.parseIpv4(Addresses.formatIpv4(a))).as("seed 4 #%d", i).isEqualTo(a);
        }
        for (String bad : new String[] {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1..2.3", "1.2.3.4 ",
            "a.b.c.d", "1.2.3.-4", "1.2.3.4/24", "1.2.3.", null}) {
            assertThatThrownBy(() -> Addresses.parseIpv4(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("IPv4");
        }
    }

    @Test
    void formatIpv6MatchesGlibcInetNtop() {
        for (String[] v : Ipv6TextVectors.NTOP) {
            long[] a = words(v[0]);
            assertThat(Addresses.formatIpv6(a[0], a[1])).as(v[0]).isEqualTo(v[1]);
        }
    }

    @Test
    void parseIpv6MatchesGlibcInetPton() {
        for (String[] v : Ipv6TextVectors.PTON) {
            assertThat(Addresses.parseIpv6(v[0])).as(v[0]).containsExactly(words(v[1]));
        }
        for (String[] v : Ipv6TextVectors.NTOP) {
            assertThat(Addresses.parseIpv6(v[1])).as(v[1]).containsExactly(words(v[0]));
        }
        for (String bad : Ipv6TextVectors.BAD) {
            assertThatThrownBy(() -> Addresses.parseIpv6(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("IPv6");
        }
    }

    @Test
    void ipv6RoundTrip() {
        Random r = new Random(6);
        for (int i = 0; i < 5000; i++) {
            long hi = r.nextBoolean() ? r.nextLong() : r.nextLong() & 0xffff_0000_ffff_0000L;
            long lo = r.nextBoolean() ? r.nextLong() : r.nextLong() & 0x0000_ffff_0000_0000L;
            String t = Addresses.formatIpv6(hi, lo);
            assertThat(Addresses.parseIpv6(t)).as("seed 6 #%d %s", i, t).containsExactly(hi, lo);
        }
    }

    @Test
    void eui64LinkLocalAsLinuxAddrconf() {
        // ip link add d0 address 02:00:00:00:00:01 -> fe80::ff:fe00:1 (U/L bit 0x02 inverted)
        long[] a = Addresses.eui64LinkLocal(0x020000000001L);
        assertThat(Addresses.formatIpv6(a[0], a[1])).isEqualTo("fe80::ff:fe00:1");
        long[] b = Addresses.eui64LinkLocal(0x525400123456L);
        assertThat(Addresses.formatIpv6(b[0], b[1])).isEqualTo("fe80::5054:ff:fe12:3456");
    }
}
