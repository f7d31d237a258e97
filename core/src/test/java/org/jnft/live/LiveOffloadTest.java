package org.jnft.live;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flowtable on live links, as the selftest checks it: once PMTU discovery has settled, the fast path
 * carries the bulk, so the forward chain's counters stay far below the bytes sent; a live connection is
 * listed {@code [OFFLOAD]}; an idle one leaves the flowtable and keeps working.
 */
class LiveOffloadTest {
    static final int FILE = 2 << 20;

    /** The selftest's check_counters, stricter: each direction's classic-path bytes under a tenth of the file. */
    static void assertFastPathCarriedTheBulk(Topology.JnftDaemon d) throws Exception {
        long orig = d.counter("routed_orig")[1];
        long repl = d.counter("routed_repl")[1];
        assertTrue(orig < FILE / 10 && repl < FILE / 10, "classic-path bytes orig=" + orig + " repl=" + repl
                + " for a file of " + FILE + " each way:\n" + d.file("flowtables.txt"));
        assertTrue(d.file("flowtables.txt").matches("(?s)flowtable inet filter f1 hits=[1-9]\\d* .*"),
                d.file("flowtables.txt"));
    }

    @Test
    void ipv4AndIpv6BulkTakeTheFastPath() throws Exception {
        try (Topology t = new Topology()) {
            Topology.JnftDaemon d = t.startDaemon(Topology.flowtableRuleset(""));
            Path in = t.randomFile("in", FILE, 11);
            t.transfer("10.0.2.99", in);
            d.dump();
            assertFastPathCarriedTheBulk(d);
            assertEquals(0, d.stop());
            d = t.startDaemon(Topology.flowtableRuleset(""));
            t.transfer("dead:2::99", in);
            d.dump();
            assertFastPathCarriedTheBulk(d);
            assertEquals(0, d.stop());
        }
    }

    @Test
    void masqueradedAndPortForwardedBulkTakeTheFastPath() throws Exception {
        try (Topology t = new Topology()) {
            Path in = t.randomFile("in", FILE, 12);
            Topology.JnftDaemon d = t.startDaemon(Topology.flowtableRuleset(Topology.NAT_TABLE));
            t.transfer("10.0.2.99", in);
            d.dump();
            assertFastPathCarriedTheBulk(d);
            assertEquals(0, d.stop());
            d = t.startDaemon(Topology.flowtableRuleset(Topology.NAT_TABLE));
            t.startTransfer(t.ns1, "10.0.1.99", 12345, t.ns2, "192.168.10.1", 8080, in).verify();
            d.dump();
            assertFastPathCarriedTheBulk(d);
            assertEquals(0, d.stop());
        }
    }

    @Test
    void liveConnectionIsListedOffload() throws Exception {
        try (Topology t = new Topology()) {
            Topology.JnftDaemon d = t.startDaemon(Topology.flowtableRuleset(""));
            Topology.EchoConnection c = t.startEcho("10.0.2.99");
            for (int i = 0; i < 4; i++) {
                c.roundTrip(1000);
            }
            d.dump();
            String ct = d.file("conntrack.txt");
            assertTrue(ct.lines().anyMatch(l -> l.contains("dport=12345") && l.contains("[OFFLOAD]")), ct);
            assertTrue(d.file("flowtables.txt").contains("dport=12345 iif=veth0"), d.file("flowtables.txt"));
            c.roundTrip(1000);
            assertEquals(0, d.stop());
        }
    }

    @Test
    void idleConnectionLeavesTheFlowtableAndKeepsWorking() throws Exception {
        try (Topology t = new Topology()) {
            Topology.JnftDaemon d = t.startDaemon(Topology.flowtableRuleset(""),
                    "--set", "net.netfilter.nf_flowtable_tcp_timeout=2");
            Topology.EchoConnection c = t.startEcho("dead:2::99");
            c.roundTrip(2000);
            c.roundTrip(2000);
            d.dump();
            assertTrue(d.file("flowtables.txt").contains("dport=12345"), d.file("flowtables.txt"));
            // idle: the flowtable's GC expires the flow, conntrack gets the connection back
            Topology.await("the idle flow to leave the flowtable", 30, () -> {
                d.dump();
                return !d.file("flowtables.txt").contains("dport=12345");
            });
            String ct = d.file("conntrack.txt");
            assertTrue(ct.lines().anyMatch(l -> l.contains("dport=12345") && l.contains("ESTABLISHED")), ct);
            assertFalse(ct.contains("[OFFLOAD]"), ct);
            c.roundTrip(2000); // still works, and is offloaded again
            c.roundTrip(2000);
            d.dump();
            assertTrue(d.file("flowtables.txt").contains("dport=12345"), d.file("flowtables.txt"));
            assertEquals(0, d.stop());
        }
    }
}
