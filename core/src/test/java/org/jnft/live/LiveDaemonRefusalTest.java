package org.jnft.live;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The daemon refuses to start, with the cause on stderr: exit 1 for the environment, 2 for usage. */
class LiveDaemonRefusalTest {

    private static String[] daemon(Topology t, String... args) {
        List<String> c = new ArrayList<>(List.of(Topology.inNs(t.nsr1, Topology.javaCommand())));
        c.add("daemon");
        c.addAll(List.of(args));
        return c.toArray(String[]::new);
    }

    private static Object[] run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Object[] {Topology.waitFor(p, 60, "daemon"), out};
    }

    @Test
    void refusals() throws Exception {
        try (Topology t = new Topology()) {
            Object[] r = run(daemon(t, "--iface", "veth0", "--iface", "nosuch0"));
            assertEquals(1, r[0], (String) r[1]);
            assertTrue(((String) r[1]).contains("jnft: interface nosuch0 does not exist"), (String) r[1]);

            r = run(daemon(t, "--iface", "veth0", "--set", "net.nonsense=1"));
            assertEquals(2, r[0], (String) r[1]);

            t.sysctl(t.nsr1, "net.ipv6.conf.all.forwarding=1");
            r = run(daemon(t, "--iface", "veth0"));
            assertEquals(1, r[0], (String) r[1]);
            assertTrue(((String) r[1]).contains("the kernel forwards in this network namespace"
                    + " (net.ipv6.conf.all.forwarding = 1)"), (String) r[1]);
            t.sysctl(t.nsr1, "net.ipv6.conf.all.forwarding=0");

            List<String> unprivileged = new ArrayList<>(List.of("ip", "netns", "exec", t.nsr1, "setpriv",
                    "--inh-caps=-all", "--bounding-set=-all")); // root without capabilities
            unprivileged.addAll(List.of(Topology.javaCommand()));
            unprivileged.addAll(List.of("daemon", "--iface", "veth0"));
            r = run(unprivileged.toArray(String[]::new));
            assertEquals(1, r[0], (String) r[1]);
            assertTrue(((String) r[1]).contains("Operation not permitted (EPERM): the daemon needs CAP_NET_RAW"),
                    (String) r[1]);
        }
    }
}
