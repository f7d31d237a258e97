package org.jnft.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FibTest {
    static Devices devices(int links) {
        List<NetDevice.Builder> bs = new ArrayList<>();
        for (int i = 0; i < links; i++) {
            bs.add(new NetDevice.Builder("e" + i, 0x0200_0000_0000L + i + 1));
        }
        return Devices.create(bs);
    }

    // ------------------------------------------------------------------ brute force models

    static Route brute4(List<Route> routes, int table, int dst) {
        Route best = null;
        for (Route r : routes) {
            if (r.table() != table || r.isIpv6() || !r.matches4(dst)) {
                continue;
            }
            if (best == null || r.prefixLength() > best.prefixLength()
                    || (r.prefixLength() == best.prefixLength()
                        && Integer.compareUnsigned(r.metric(), best.metric()) < 0)) {
                best = r;
            }
        }
        return best;
    }

    static Route brute6(List<Route> routes, int table, long hi, long lo, int hint) {
        Route best = null;
        for (Route r : routes) {
            if (r.table() != table || !r.matches6(hi, lo)) {
                continue;
            }
            if (hint != 0 && (r.device() == null || r.device().ifindex() != hint)) {
                continue;
            }
            if (best == null || r.prefixLength() > best.prefixLength()
                    || (r.prefixLength() == best.prefixLength()
                        && Integer.compareUnsigned(r.metric(), best.metric()) < 0)) {
                best = r;
            }
        }
        return best;
    }

    static final int[] METRICS = {0, 0, 1, 5, 256, 1024, 1024, -1, -2};

    @Test
    void ipv4MatchesBruteForce() {
        long seed = 0x4a11_0004L;
        Random rnd = new Random(seed);
        Devices d = devices(4);
        for (int round = 0; round < 200; round++) {
            int[] pool = new int[1 + rnd.nextInt(6)];
            for (int i = 0; i < pool.length; i++) {
                pool[i] = rnd.nextInt();
            }
            List<Route> routes = new ArrayList<>();
            int n = rnd.nextInt(60);
            for (int i = 0; i < n; i++) {
                int plen = rnd.nextInt(4) == 0 ? 32 : rnd.nextInt(33);
                int base = pool[rnd.nextInt(pool.length)] ^ (rnd.nextBoolean() ? 0 : 1 << rnd.nextInt(32));
                NetDevice dev = d.byIndex(1 + rnd.nextInt(d.count()));
                boolean gw = rnd.nextBoolean();
                int table = rnd.nextInt(4) == 0 ? Route.TABLE_LOCAL : Route.TABLE_MAIN;
                int type = table == Route.TABLE_LOCAL ? (rnd.nextBoolean() ? Route.LOCAL : Route.BROADCAST)
                        : Route.UNICAST;
                routes.add(Route.ipv4(type, table, base & Inet.mask4(plen), plen, dev, gw, rnd.nextInt(),
                        METRICS[rnd.nextInt(METRICS.length)], false));
            }
            Fib fib = Fib.of(routes);
            for (int q = 0; q < 200; q++) {
                int dst = pool[rnd.nextInt(pool.length)];
                switch (rnd.nextInt(3)) {
                    case 0 -> dst ^= 1 << rnd.nextInt(32);
                    case 1 -> dst = rnd.nextInt();
                    default -> {
                    }
                }
                // Linux's merged IPv4 tables: longest prefix of either, local on a tie
                Route local = brute4(routes, Route.TABLE_LOCAL, dst);
                Route main = brute4(routes, Route.TABLE_MAIN, dst);
                Route want = local == null || (main != null && main.prefixLength() > local.prefixLength()) ? main
                        : local;
                assertThat(fib.lookup4(dst)).as("seed %x round %d dst %s", seed, round, Inet.format4(dst))
                        .isSameAs(want);
            }
        }
    }

    @Test
    void ipv6MatchesBruteForce() {
        long seed = 0x4a11_0006L;
        Random rnd = new Random(seed);
        Devices d = devices(4);
        for (int round = 0; round < 200; round++) {
            long[][] pool = new long[1 + rnd.nextInt(6)][];
            for (int i = 0; i < pool.length; i++) {
                pool[i] = rnd.nextInt(3) == 0
                        ? new long[] {Inet.LINK_LOCAL_HI, rnd.nextLong()}
                        : new long[] {rnd.nextLong(), rnd.nextLong()};
            }
            List<Route> routes = new ArrayList<>();
            int n = rnd.nextInt(60);
            for (int i = 0; i < n; i++) {
                int plen = switch (rnd.nextInt(5)) {
                    case 0 -> 128;
                    case 1 -> 64;
                    default -> rnd.nextInt(129);
                };
                long[] b = pool[rnd.nextInt(pool.length)];
                long hi = b[0];
                long lo = b[1];
                if (rnd.nextBoolean()) {
                    int bit = rnd.nextInt(128);
                    if (bit < 64) {
                        hi ^= 1L << bit;
                    } else {
                        lo ^= 1L << (bit - 64);
                    }
                }
                NetDevice dev = d.byIndex(1 + rnd.nextInt(d.count()));
                int table = rnd.nextInt(4) == 0 ? Route.TABLE_LOCAL : Route.TABLE_MAIN;
                routes.add(Route.ipv6(table == Route.TABLE_LOCAL ? Route.LOCAL : Route.UNICAST, table,
                        hi & Inet.mask6Hi(plen), lo & Inet.mask6Lo(plen), plen, dev, rnd.nextBoolean(),
                        rnd.nextLong(), rnd.nextLong(), METRICS[rnd.nextInt(METRICS.length)], false));
            }
            Fib fib = Fib.of(routes);
            for (int q = 0; q < 200; q++) {
                long[] b = pool[rnd.nextInt(pool.length)];
                long hi = b[0];
                long lo = b[1];
                switch (rnd.nextInt(3)) {
                    case 0 -> {
                        int bit = rnd.nextInt(128);
                        if (bit < 64) {
                            hi ^= 1L << bit;
                        } else {
                            lo ^= 1L << (bit - 64);
                        }
                    }
                    case 1 -> {
                        hi = rnd.nextLong();
                        lo = rnd.nextLong();
                    }
                    default -> {
                    }
                }
                int hint = rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(d.count());
                boolean scoped = Inet.isLinkLocal6(hi) || Inet.isLinkScopedMulticast6(hi);
                int h = scoped ? hint : 0;
                Route want = brute6(routes, Route.TABLE_LOCAL, hi, lo, h);
                if (want == null) {
                    want = brute6(routes, Route.TABLE_MAIN, hi, lo, h);
                }
                assertThat(fib.lookup6(hi, lo, hint)).as("seed %x round %d dst %s hint %d", seed, round,
                        Inet.format6(hi, lo), hint).isSameAs(want);
                if (hint == 0) {
                    assertThat(fib.lookup6(hi, lo)).isSameAs(want);
                }
            }
        }
    }

    // ------------------------------------------------------------------ semantics

    static int ip4(String s) {
        return Inet.parse4(s);
    }

    @Test
    void metricTieBreaks() {
        Devices d = devices(3);
        NetDevice e0 = d.byName("e0");
        NetDevice e1 = d.byName("e1");
        NetDevice e2 = d.byName("e2");
        Route a = Route.ipv4(Route.UNICAST, Route.TABLE_MAIN, ip4("10.0.0.0"), 8, e0, false, 0, 20, false);
        Route b = Route.ipv4(Route.UNICAST, Route.TABLE_MAIN, ip4("10.0.0.0"), 8, e1, false, 0, 10, false);
        Route c = Route.ipv4(Route.UNICAST, Route.TABLE_MAIN, ip4("10.0.0.0"), 8, e2, false, 0, 10, false);
        Route huge = Route.ipv4(Route.UNICAST, Route.TABLE_MAIN, ip4("10.0.0.0"), 8, e2, false, 0, -1, false);
        assertThat(Fib.of(List.of(a, b, c)).lookup4(ip4("10.1.2.3"))).isSameAs(b); // lowest metric
        assertThat(Fib.of(List.of(a, c, b)).lookup4(ip4("10.1.2.3"))).isSameAs(c); // first among equals
        assertThat(Fib.of(List.of(huge, a)).lookup4(ip4("10.1.2.3"))).isSameAs(a); // unsigned: 4294967295 > 20
        // longer prefix beats lower metric
        Route longer = Route.ipv4(Route.UNICAST, Route.TABLE_MAIN, ip4("10.1.0.0"), 16, e0, false, 0, 1000, false);
        assertThat(Fib.of(List.of(b, longer)).lookup4(ip4("10.1.2.3"))).isSameAs(longer);
        assertThat(Fib.of(List.of(b, longer)).lookup4(ip4("10.2.2.3"))).isSameAs(b);
        // IPv6 likewise
        Route x = Route.ipv6(Route.UNICAST, Route.TABLE_MAIN, 0x2001_0db8_0000_0000L, 0, 32, e0, false, 0, 0, 1024,
                false);
        Route y = Route.ipv6(Route.UNICAST, Route.TABLE_MAIN, 0x2001_0db8_0000_0000L, 0, 32, e1, false, 0, 0, 256,
                false);
        assertThat(Fib.of(List.of(x, y)).lookup6(0x2001_0db8_0001_0000L, 5)).isSameAs(y);
    }

    @Test
    void withAndWithoutRoute() {
        Devices d = devices(1);
        NetDevice e0 = d.byName("e0");
        Route a = Route.ipv4(Route.UNICAST, Route.TABLE_MAIN, 0, 0, e0, true, ip4("10.0.0.254"), 0, false);
        Fib f0 = Fib.EMPTY;
        assertThat(f0.lookup4(ip4("1.2.3.4"))).isNull();
        Fib f1 = f0.withRoute(a);
        assertThat(f1.lookup4(ip4("1.2.3.4"))).isSameAs(a);
        assertThat(f0.lookup4(ip4("1.2.3.4"))).isNull();
        Fib f2 = f1.withoutRoute(Route.ipv4(Route.UNICAST, Route.TABLE_MAIN, 0, 0, e0, true, ip4("10.0.0.254"), 0,
                false));
        assertThat(f2.lookup4(ip4("1.2.3.4"))).isNull();
        assertThat(f2.withoutRoute(a)).isSameAs(f2);
        assertThat(f1.routes()).containsExactly(a);
    }

    static final String NET = """
            link add e0 address 02:00:00:00:00:01
            link add e1 address 02:00:00:00:00:02
            link add link e1 name e1.7 type vlan id 7
            addr add 10.0.0.1/24 dev e0
            addr add 10.0.0.9/24 dev e0
            addr add 192.0.2.1/31 dev e1
            addr add 198.51.100.1/32 dev e1
            addr add 2001:db8::1/64 dev e0
            addr add 127.0.0.2/8 dev lo
            route add 10.9.0.0/16 via 10.0.0.254 dev e0
            """;

    /** The same commands run through Linux (ip netns, veth) gave these tables (ip route show table all). */
    @Test
    void secondaryAndZeronetAddressesAsLinux() throws Exception {
        NetConfig c = NetFile.parse("""
                link add e0 address 02:00:00:00:00:01
                addr add 10.0.0.1/24 dev e0
                addr add 10.0.0.9/24 dev e0
                addr add 0.1.2.3/8 dev e0
                addr add 127.0.0.2/8 dev lo
                """, "N");
        assertThat(c.fib().routes().stream().filter(r -> !r.isIpv6()).map(Route::toString)).containsExactly(
                "local 127.0.0.1 dev lo table local proto kernel",
                "local 127.0.0.0/8 dev lo table local proto kernel",
                "broadcast 127.255.255.255 dev lo table local proto kernel",
                "local 10.0.0.1 dev e0 table local proto kernel",
                "broadcast 10.0.0.255 dev e0 table local proto kernel",
                "local 10.0.0.9 dev e0 table local proto kernel",
                "local 0.1.2.3 dev e0 table local proto kernel",
                "local 127.0.0.2 dev lo table local proto kernel",
                "broadcast 255.255.255.255 table local proto kernel",
                "10.0.0.0/24 dev e0 proto kernel");
    }

    /** As `ip route get` on Linux: IPv4 tables merged (longest prefix wins, local on a tie). */
    @Test
    void ipv4LocalAndMainMergedAsLinux() throws Exception {
        NetConfig c = NetFile.parse("""
                link add e0 address 02:00:00:00:00:01
                route add 10.0.0.1/32 dev e0
                addr add 10.0.0.1/24 dev e0
                route add 127.1.0.0/16 dev e0
                """, "N");
        NetDevice e0 = c.devices().byName("e0");
        assertType(c.fib().lookup4(ip4("127.1.2.3")), Route.UNICAST, e0);
        assertType(c.fib().lookup4(ip4("127.0.0.5")), Route.LOCAL, c.devices().loopback());
        assertType(c.fib().lookup4(ip4("10.0.0.1")), Route.LOCAL, e0);
        assertType(c.fib().lookup4(ip4("10.0.0.255")), Route.BROADCAST, e0);
    }

    @Test
    void localAndBroadcastTypes() throws Exception {
        NetConfig c = NetFile.parse(NET, "N");
        Fib f = c.fib();
        Devices d = c.devices();
        NetDevice e0 = d.byName("e0");
        assertType(f.lookup4(ip4("10.0.0.1")), Route.LOCAL, e0);
        assertType(f.lookup4(ip4("10.0.0.9")), Route.LOCAL, e0);
        assertType(f.lookup4(ip4("10.0.0.255")), Route.BROADCAST, e0);
        assertType(f.lookup4(ip4("10.0.0.0")), Route.UNICAST, e0); // no network-address broadcast, as Linux now
        assertType(f.lookup4(ip4("10.0.0.7")), Route.UNICAST, e0);
        assertThat(f.lookup4(ip4("10.0.0.7")).hasGateway()).isFalse();
        assertType(f.lookup4(ip4("192.0.2.1")), Route.LOCAL, d.byName("e1"));
        assertType(f.lookup4(ip4("192.0.2.0")), Route.UNICAST, d.byName("e1")); // /31: no broadcast
        assertType(f.lookup4(ip4("198.51.100.1")), Route.LOCAL, d.byName("e1"));
        assertThat(f.lookup4(ip4("198.51.100.2"))).isNull(); // /32: no connected route
        assertType(f.lookup4(ip4("127.0.0.1")), Route.LOCAL, d.loopback());
        assertType(f.lookup4(ip4("127.1.2.3")), Route.LOCAL, d.loopback());
        assertType(f.lookup4(ip4("127.255.255.255")), Route.BROADCAST, d.loopback());
        Route lb = f.lookup4(-1);
        assertThat(lb.type()).isEqualTo(Route.BROADCAST);
        assertThat(lb.device()).isNull();
        Route via = f.lookup4(ip4("10.9.3.4"));
        assertType(via, Route.UNICAST, e0);
        assertThat(via.gateway4()).isEqualTo(ip4("10.0.0.254"));
        assertThat(f.lookup4(ip4("8.8.8.8"))).isNull();

        assertType(f.lookup6(0, 1), Route.LOCAL, d.loopback());
        assertType(f.lookup6(0x2001_0db8_0000_0000L, 1), Route.LOCAL, e0);
        assertType(f.lookup6(0x2001_0db8_0000_0000L, 2), Route.UNICAST, e0);
        assertThat(f.lookup6(0x2001_0db8_0000_0000L, 2).metric()).isEqualTo(256);
        assertType(f.lookup6(e0.linkLocalHi(), e0.linkLocalLo()), Route.LOCAL, e0);
        assertType(f.lookup6(0xff02_0000_0000_0000L, 1), Route.MULTICAST, e0);
        assertType(f.lookup6(0x2001_0db8_0000_0000L, 0), Route.ANYCAST, e0); // subnet-router anycast
        assertType(f.lookup6(0xfe80_0000_0000_0000L, 0), Route.ANYCAST, e0);
        assertThat(f.lookup6(0x2001_0db9_0000_0000L, 2)).isNull();
    }

    @Test
    void linkLocalNeedsTheInterface() throws Exception {
        NetConfig c = NetFile.parse(NET, "N");
        Fib f = c.fib();
        Devices d = c.devices();
        NetDevice e1 = d.byName("e1");
        NetDevice v7 = d.byName("e1.7");
        long llHi = 0xfe80_0000_0000_0000L;
        // another host's link-local: the fe80::/64 route of the hinted link
        assertType(f.lookup6(llHi, 0x42, v7.ifindex()), Route.UNICAST, v7);
        assertType(f.lookup6(llHi, 0x42, e1.ifindex()), Route.UNICAST, e1);
        assertThat(f.lookup6(llHi, 0x42, e1.ifindex()).metric()).isEqualTo(256);
        assertType(f.lookup6(llHi, 0x42), Route.UNICAST, d.byName("e0")); // no hint: the first link
        // the vlan shares its parent's link-local address: LOCAL on whichever link is hinted
        assertThat(v7.linkLocalLo()).isEqualTo(e1.linkLocalLo());
        assertType(f.lookup6(llHi, e1.linkLocalLo(), v7.ifindex()), Route.LOCAL, v7);
        assertType(f.lookup6(llHi, e1.linkLocalLo(), e1.ifindex()), Route.LOCAL, e1);
        // e0's link-local reached from e1: not local there, just e1's link
        assertType(f.lookup6(llHi, d.byName("e0").linkLocalLo(), e1.ifindex()), Route.UNICAST, e1);
        // a global destination ignores the hint
        assertType(f.lookup6(0x2001_0db8_0000_0000L, 5, e1.ifindex()), Route.UNICAST, d.byName("e0"));
        assertType(f.lookup6(0xff02_0000_0000_0000L, 1, v7.ifindex()), Route.MULTICAST, v7);
    }

    static void assertType(Route r, int type, NetDevice dev) {
        assertThat(r).isNotNull();
        assertThat(r.type()).as("%s", r).isEqualTo(type);
        assertThat(r.device()).as("%s", r).isSameAs(dev);
    }

    @Test
    void lookupsAllocateNothing() throws Exception {
        NetConfig c = NetFile.parse(NET, "N");
        Fib f = c.fib();
        Devices d = c.devices();
        Neighbours n = c.neighbours();
        n.put4(2, ip4("10.0.0.2"), 0x0200_0000_0099L);
        n.put6(2, 0xfe80_0000_0000_0000L, 9, 0x0200_0000_0098L);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long sink = 0;
        long[] out = new long[2];
        for (int warm = 0; warm < 3; warm++) {
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 200_000; i++) {
                int a = ip4("10.0.0.0") + (i & 1023);
                Route r = f.lookup4(a);
                sink += r == null ? 0 : r.metric();
                r = f.lookup6(0x2001_0db8_0000_0000L, i, 0);
                sink += r == null ? 0 : r.metric();
                r = f.lookup6(0xfe80_0000_0000_0000L, i, 3);
                sink += r == null ? 0 : r.metric();
                sink += n.lookup4(2, a) + n.lookup6(2, 0xfe80_0000_0000_0000L, i & 15);
                sink += d.isLocalIpv4(a) ? 1 : 0;
                sink += d.ownerOfIpv6(0x2001_0db8_0000_0000L, i & 3) == null ? 0 : 1;
                NetDevice e0 = d.byIndex(2);
                sink += e0.ipv4SourceFor(a);
                sink += e0.ipv6SourceFor(0x2001_0db8_0000_0000L, i, out) ? out[1] : 0;
            }
            long allocated = mx.getThreadAllocatedBytes(tid) - before;
            if (warm == 2) {
                assertThat(allocated).as("bytes allocated by 1.6M lookups (sink %d)", sink).isLessThan(1024);
            }
        }
    }
}
