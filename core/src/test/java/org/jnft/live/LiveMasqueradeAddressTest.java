package org.jnft.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The daemon follows the kernel's address notifications: when the address a connection was masqueraded to
 * leaves the interface, the connection dies (nf_nat_masquerade's inetaddr notifier) and its flow with it.
 */
class LiveMasqueradeAddressTest {
    @Test
    void removingTheMasqueradeAddressEndsItsConnections() throws Exception {
        try (Topology t = new Topology()) {
            Topology.JnftDaemon d = t.startDaemon(Topology.flowtableRuleset(Topology.NAT_TABLE));
            Topology.EchoConnection c = t.startEcho("10.0.2.99");
            for (int i = 0; i < 3; i++) {
                c.roundTrip(1000);
            }
            d.dump();
            assertTrue(d.file("conntrack.txt").lines().anyMatch(l -> l.contains("dport=12345")
                    && l.contains("dst=192.168.10.1") && l.contains("[OFFLOAD]")), d.file("conntrack.txt"));
            t.ip(t.nsr1, "addr del 192.168.10.1/24 dev veth1");
            d.awaitLine("address removed: 1 masqueraded connections dropped", 10);
            Topology.await("the dead connection's flow to go", 10, () -> {
                d.dump();
                return !d.file("flowtables.txt").contains("dport=12345");
            });
            assertTrue(d.file("conntrack.txt").lines().noneMatch(l -> l.contains("dport=12345")),
                    d.file("conntrack.txt"));
            assertEquals(0, d.stop());
        }
    }
}
