package org.jnft.live;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The router's own addresses while the kernel keeps them: jnft answers ARP, neighbour solicitations,
 * echo requests, TCP to a closed port (reset) and UDP to a closed port (port unreachable), and the kernel,
 * which sees no frame of the interfaces, answers none: each probe gets exactly one answer.
 */
class LiveRouterAddressTest {

    @Test
    void eachProbeOfTheRoutersAddressesIsAnsweredExactlyOnce() throws Exception {
        try (Topology t = new Topology()) {
            Topology.JnftDaemon d = t.startDaemon(Topology.flowtableRuleset(""));
            Path script = t.dir.resolve("probe_router.py");
            try (var in = LiveRouterAddressTest.class.getResourceAsStream("probe_router.py")) {
                Files.copy(in, script);
            }
            String mac = t.exec(t.nsr1, "cat", "/sys/class/net/veth0/address").trim();
            String out = t.exec(t.ns1, "/usr/bin/python3", script.toString(), "eth0", mac).trim();
            String last = out.lines().reduce((a, b) -> b).orElse("");
            assertEquals("arp=1 echo=1 tcp_rst=1 udp_unreach=1 echo6=1 ns=1", last, out);
            // and the kernel of nsr1 saw none of it: its table drops every frame of the two interfaces
            String rules = t.exec(t.nsr1, "nft", "list", "ruleset");
            assertTrue(rules.contains("flags owner") && rules.contains("policy drop"), rules);
            assertEquals(0, d.stop());
            assertEquals("", t.exec(t.nsr1, "nft", "list", "ruleset").trim(), "the table went with the daemon");
        }
    }
}
