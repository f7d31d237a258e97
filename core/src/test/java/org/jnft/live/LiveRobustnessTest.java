package org.jnft.live;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon on live links under abuse: malformed frames, a flood of new connections against a small
 * conntrack table, an interface going down and up, restarts (clean and killed). No crash, no stuck flow,
 * and each drop counted under its reason in stats.txt.
 */
class LiveRobustnessTest {

    private static Path script(Topology t, String name) throws Exception {
        Path p = t.dir.resolve(name);
        try (var in = LiveRobustnessTest.class.getResourceAsStream(name)) {
            Files.copy(in, p);
        }
        return p;
    }

    private static String routerMac(Topology t) throws Exception {
        return t.exec(t.nsr1, "cat", "/sys/class/net/veth0/address").trim();
    }

    @Test
    void malformedFramesAreCountedAndRoutingGoesOn() throws Exception {
        try (Topology t = new Topology()) {
            Topology.JnftDaemon d = t.startDaemon(Topology.flowtableRuleset(""));
            t.exec(t.ns1, "/usr/bin/python3", script(t, "malformed.py").toString(), "eth0", routerMac(t));
            t.exec(t.ns1, "ping", "-c", "1", "-W", "5", "10.0.2.99");
            t.transfer("10.0.2.99", t.randomFile("in", 256 << 10, 21));
            d.dump();
            for (String reason : new String[] {"IP_CSUM", "IP_INHDR", "ICMP_CSUM", "IP_LOCALNET", "INVALID_PROTO",
                    "DUP_FRAG"}) {
                assertTrue(d.drops(reason) > 0, reason + " in\n" + d.file("stats.txt"));
            }
            assertTrue(d.process.isAlive());
            assertEquals(0, d.stop());
        }
    }

    @Test
    void connectionFloodAgainstAFullTableLeavesConnectionsWorking() throws Exception {
        try (Topology t = new Topology()) {
            Topology.JnftDaemon d = t.startDaemon(Topology.flowtableRuleset(""),
                    "--set", "net.netfilter.nf_conntrack_max=200");
            Topology.EchoConnection c = t.startEcho("10.0.2.99");
            c.roundTrip(1000);
            t.exec(t.ns1, "/usr/bin/python3", script(t, "syn_flood.py").toString(), "eth0", routerMac(t), "2000");
            d.dump();
            // the table stays at its limit and drops what does not fit; the assured (offloaded) connection stays.
            // (The GC's early drop of unassured entries, which lets new connections in again, needs a limit of
            // at least 100, as in Linux: max / 100 * 95.)
            assertTrue(d.drops("NETFILTER_DROP") > 0, "conntrack's table was full: " + d.file("stats.txt"));
            String ct = d.file("conntrack.txt");
            assertTrue(ct.lines().count() <= 200, ct);
            assertTrue(ct.lines().anyMatch(l -> l.contains("dst=10.0.2.200") && l.contains("SYN_SENT")), ct);
            assertTrue(ct.lines().anyMatch(l -> l.contains("[OFFLOAD]")), ct);
            c.roundTrip(1000); // the established connection was not disturbed
            t.transfer("10.0.2.99", t.randomFile("in", 256 << 10, 22)); // and a new one gets through
            assertEquals(0, d.stop());
        }
    }

    @Test
    void interfaceDownAndUpUnderTraffic() throws Exception {
        try (Topology t = new Topology()) {
            Topology.JnftDaemon d = t.startDaemon(Topology.flowtableRuleset(""));
            Topology.EchoConnection c = t.startEcho("10.0.2.99");
            c.roundTrip(1000);
            t.ip(t.nsr1, "link set veth1 down");
            d.awaitLine("veth1 is down", 20);
            // ns1 keeps sending while the link is down: jnft counts what the kernel refuses
            t.status(t.ns1, "ping", "-c", "3", "-i", "0.2", "-W", "1", "10.0.2.99");
            t.ip(t.nsr1, "link set veth1 up");
            d.awaitLine("veth1 is up", 20);
            c.roundTrip(1000);
            t.transfer("10.0.2.99", t.randomFile("in", 1 << 20, 23));
            d.dump();
            assertTrue(d.drops("DEV_READY") > 0, d.file("stats.txt"));
            assertEquals(0, d.stop());
        }
    }

    @Test
    void restartKeepsConnectionsAndLeavesNothingBehind() throws Exception {
        try (Topology t = new Topology()) {
            String rules = Topology.flowtableRuleset("");
            Topology.JnftDaemon d = t.startDaemon(rules);
            Topology.EchoConnection c = t.startEcho("10.0.2.99");
            c.roundTrip(1000);
            assertEquals(0, d.stop());
            assertTrue(Files.readString(d.out.resolve("stats.txt")).contains("iface veth0"), "files written at exit");
            assertEquals("", t.exec(t.nsr1, "nft", "list", "ruleset").trim(), "no table left behind");
            d = t.startDaemon(rules);
            c.roundTrip(1000); // picked up mid-stream by the new daemon's conntrack
            d.process.destroyForcibly(); // SIGKILL: the kernel still removes the owned table
            Topology.waitFor(d.process, 30, "killed daemon");
            Topology.await("the killed daemon's table to go", 20,
                    () -> t.exec(t.nsr1, "nft", "list", "ruleset").isBlank());
            d = t.startDaemon(rules);
            c.roundTrip(1000);
            t.transfer("10.0.2.99", t.randomFile("in", 256 << 10, 24));
            assertEquals(0, d.stop());
        }
    }
}
