package org.jnft.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast path against Linux's classic path: the kernel here has no flowtable (kernel-replay drops it
 * and the flow statements), so Linux forwards every packet through its rules — and the frames on the wire
 * must still be the same, bit for bit, while jnft forwarded most of them past the rules.
 */
class FlowtableKernelTest {
    @TempDir
    Path tmp;

    @Test
    void offloadedFlowsWithNatIpv6AndUdpPutTheSameFramesOnTheWireAsLinux() throws Exception {
        Scenario s = FlowtableScenarios.withNat(tmp.resolve("in"));
        KernelComparison k = KernelComparison.run(s, tmp);
        k.assertSameWire(java.util.function.UnaryOperator.identity());
        Path ours = k.ours;
        List<String> fts = Files.readAllLines(ours.resolve("flowtables.txt"));
        assertThat(fts.getFirst()).startsWith("flowtable inet filter ft hits=87 ").endsWith(" flows=5");
        assertThat(fts).anyMatch(l -> l.startsWith("tcp src=10.0.1.2 dst=198.51.100.7 sport=41000 dport=443 iif=lan "
                + "src=198.51.100.7 dst=10.0.2.1 sport=443 dport=41000 iif=wan ") && l.endsWith(" [snat]"));
        assertThat(fts).anyMatch(l -> l.startsWith("tcp src=198.51.100.7 dst=10.0.2.1 sport=45000 dport=8080 iif=wan "
                + "src=10.0.1.2 dst=198.51.100.7 sport=80 dport=45000 iif=lan ") && l.endsWith(" [dnat]"));
        assertThat(fts).anyMatch(l -> l.startsWith("tcp src=2001:db8:a::2 ") && l.endsWith(" [closing]"));
        assertThat(fts).anyMatch(l -> l.startsWith("udp src=2001:db8:a::2 "));
        List<String> ct = Files.readAllLines(ours.resolve("conntrack.txt"));
        assertThat(ct).hasSize(5).allMatch(l -> l.endsWith(" [OFFLOAD] mark=0 use=2"));
        // the oversize segment went back to the classic path, which answered "fragmentation needed"
        assertThat(Files.readAllLines(ours.resolve("stats.txt"))).contains("drop PKT_TOO_BIG 1");
        assertThat(Scenario.frames(ours.resolve("lan.pcap"))).anyMatch(f -> f.length > 35 && f[23] == 1
                && f[34] == 3 && f[35] == 4);
        // Linux's forward chain saw every packet; ours only those before each offload
        assertThat(Files.readString(ours.resolve("ruleset.nft")))
                .contains("ct state established,related counter packets 8 bytes 524 accept");
    }
}
