package org.jnft.live;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jnft as nsr1 of the selftest topology ({@link Topology}), end to end: files sent both ways at once with
 * socat and compared, over IPv4 and IPv6, with masquerade, a port forward, PMTU discovery, many connections.
 * Offload-specific checks are in {@link LiveOffloadTest}.
 */
class LiveForwardingTest {
    static final int FILE = 2 << 20;

    @Test
    void ipv4WithoutDfIsFragmentedByJnft() throws Exception {
        try (Topology t = new Topology()) {
            for (String ns : List.of(t.ns1, t.ns2)) {
                t.sysctl(ns, "net.ipv4.ip_no_pmtu_disc=1"); // no DF: nsr1 must fragment 2000-byte packets
            }
            Topology.JnftDaemon d = t.startDaemon(Topology.flowtableRuleset(""));
            Path in = t.randomFile("in", FILE, 1);
            t.transfer("10.0.2.99", in);
            d.dump();
            assertTrue(d.counter("routed_orig")[0] > 0, "the marked connection went through the forward chain");
            assertTrue(d.file("conntrack.txt").contains("dport=12345"), d.file("conntrack.txt"));
            assertEquals(0, d.stop());
        }
    }

    @Test
    void ipv6TransferWithPacketTooBig() throws Exception {
        try (Topology t = new Topology()) {
            Topology.JnftDaemon d = t.startDaemon(Topology.flowtableRuleset(""));
            Path in = t.randomFile("in", FILE, 2);
            t.transfer("dead:2::99", in);
            d.dump();
            // ns1's 9000-byte link and ns2's MSS of 1940 make packets too big for the 1500-byte link
            assertTrue(d.drops("PKT_TOO_BIG") > 0, d.file("stats.txt"));
            assertTrue(d.file("conntrack.txt").contains("src=dead:1::99 dst=dead:2::99"), d.file("conntrack.txt"));
            assertEquals(0, d.stop());
        }
    }

    @Test
    void pmtuDiscoveryWithDfCompletesTheTransfer() throws Exception {
        try (Topology t = new Topology()) {
            Topology.JnftDaemon d = t.startDaemon(Topology.flowtableRuleset(""));
            Path in = t.randomFile("in", FILE, 3);
            t.transfer("10.0.2.99", in);
            d.dump();
            assertTrue(d.drops("PKT_TOO_BIG") > 0, "fragmentation needed was answered: " + d.file("stats.txt"));
            // ns1 learnt the path MTU from jnft's ICMP error
            String route = t.exec(t.ns1, "ip", "route", "get", "10.0.2.99");
            assertTrue(route.contains("mtu 1500"), route);
            assertEquals(0, d.stop());
        }
    }

    @Test
    void masqueradeIsTheOnlyWayBack() throws Exception {
        try (Topology t = new Topology()) {
            t.ip(t.ns2, "route del default via 10.0.2.1");
            t.ip(t.ns2, "-6 route del default via dead:2::1");
            t.ip(t.ns2, "route add 192.168.10.1 via 10.0.2.1");
            Topology.JnftDaemon d = t.startDaemon(Topology.flowtableRuleset(Topology.NAT_TABLE));
            Path in = t.randomFile("in", FILE, 4);
            t.transfer("10.0.2.99", in);
            d.dump();
            String ct = d.file("conntrack.txt");
            assertTrue(ct.matches("(?s).*src=10\\.0\\.1\\.99 dst=10\\.0\\.2\\.99 .*src=10\\.0\\.2\\.99 dst=192\\.168\\.10\\.1 .*"), ct);
            assertEquals(0, d.stop());
        }
    }

    @Test
    void portForwardToAnInsideHost() throws Exception {
        try (Topology t = new Topology()) {
            Topology.JnftDaemon d = t.startDaemon(Topology.flowtableRuleset(Topology.NAT_TABLE));
            Path in = t.randomFile("in", FILE, 5);
            // ns2 connects to nsr1's outside address; the kernel there would reset it, jnft forwards it to ns1
            t.startTransfer(t.ns1, "10.0.1.99", 12345, t.ns2, "192.168.10.1", 8080, in).verify();
            d.dump();
            String ct = d.file("conntrack.txt");
            assertTrue(ct.matches("(?s).*dst=192\\.168\\.10\\.1 sport=\\d+ dport=8080 src=10\\.0\\.1\\.99 .*sport=12345.*"), ct);
            assertEquals(0, d.stop());
        }
    }

    @Test
    void manyParallelConnections() throws Exception {
        int n = 16;
        try (Topology t = new Topology()) {
            for (int i = 0; i < n; i++) {
                t.ip(t.ns2, "addr add 10.0.2." + (100 + i) + "/24 dev eth0");
            }
            Topology.JnftDaemon d = t.startDaemon(Topology.flowtableRuleset(""));
            List<Topology.Transfer> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String dst = "10.0.2." + (100 + i);
                Path in = t.randomFile("in" + i, 256 << 10, 100 + i);
                all.add(t.startTransfer(dst, in));
            }
            for (Topology.Transfer x : all) {
                x.verify();
            }
            d.dump();
            long conns = d.file("conntrack.txt").lines().filter(l -> l.contains("dport=12345")).count();
            assertEquals(n, conns, d.file("conntrack.txt"));
            assertEquals(0, d.stop());
        }
    }

    @Test
    void reloadUnderTrafficLosesNoConnection() throws Exception {
        try (Topology t = new Topology()) {
            String rules = Topology.flowtableRuleset("");
            Topology.JnftDaemon d = t.startDaemon(rules);
            Path in = t.randomFile("in", 6 << 20, 6);
            Topology.Transfer v4 = t.startTransfer("10.0.2.99", in);
            Topology.Transfer v6 = t.startTransfer("dead:2::99", in);
            java.nio.file.Files.writeString(d.rules, rules.replace("policy drop;", "policy drop;\n    counter name reloaded"
                    ).replace("counter routed_repl { }", "counter routed_repl { }\n  counter reloaded { }"));
            for (int i = 1; i <= 3; i++) {
                d.signal("HUP");
                d.awaitLine("(generation " + (i + 1) + ")", 30);
            }
            java.nio.file.Files.writeString(d.rules, "table inet filter { chain forward { type nonsense"); // bad
            d.signal("HUP");
            d.awaitLine("reload failed", 30);
            v4.verify();
            v6.verify();
            t.exec(t.ns1, "ping", "-c", "1", "-W", "5", "10.0.2.99"); // offloaded flows skip the chain; a ping does not
            d.dump();
            assertTrue(d.counter("reloaded")[0] > 0, "the reloaded ruleset is the one in use");
            assertEquals(3, d.countLines("ruleset reloaded"), String.join("\n", d.stderr));
            assertEquals(0, d.stop());
        }
    }
}
