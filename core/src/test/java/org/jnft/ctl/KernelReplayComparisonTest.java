package org.jnft.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.jnft.testing.KernelFrames.normalise;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracle: the same scenario through jnft and through Linux's own router (../shared/tools/kernel-replay);
 * the frames each interface sent must be the same, bit for bit, but for the fields Linux randomises (the IPv4
 * id and header checksum of packets the router makes, the IPv6 flow label) and the kernel's own MLD reports.
 */
class KernelReplayComparisonTest {

    @TempDir
    Path tmp;

    @Test
    void forwardingIcmpArpAndNdpMatchLinux() throws Exception {
        compare(ForwardingScenarios.everything(tmp.resolve("in")), List.of());
    }

    @Test
    void filterChainsOnEveryHookMatchLinux() throws Exception {
        Scenario s = ForwardingScenarios.everything(tmp.resolve("in"));
        s.ruleset = ForwardingScenarios.FILTER;
        compare(s, List.of());
    }

    @Test
    void neighbourResolutionAndFailureMatchLinux() throws Exception {
        compare(ForwardingScenarios.neighbours(tmp.resolve("in")), List.of("--realtime"));
    }

    @Test
    void conntrackMatchesLinux() throws Exception {
        Path linuxOut = compare(ForwardingScenarios.tracked(tmp.resolve("in")), List.of());
        List<String> ours = Files.readAllLines(tmp.resolve("jnft").resolve("conntrack.txt"));
        List<String> theirs = Files.readAllLines(linuxOut.resolve("conntrack.txt"));
        assertThat(ours).anyMatch(l -> l.startsWith("tcp ") && l.contains(" TIME_WAIT ") && l.contains("[ASSURED]"));
        assertThat(ours).anyMatch(l -> l.contains("[UNREPLIED]"));
        assertThat(Files.readAllLines(tmp.resolve("jnft").resolve("stats.txt"))).contains("drop NETFILTER_DROP 2");
        List<byte[]> frags = Scenario.frames(tmp.resolve("jnft").resolve("wan.pcap")).stream()
                .filter(f -> f.length > 20 && f[12] == 8 && f[13] == 0 && f[18] == 0x42 && f[19] == 0x42).toList();
        assertThat(frags).as("the reassembled datagram refragmented to 1020-byte pieces").hasSize(3)
                .allMatch(f -> f.length - 14 <= 1020);
        assertThat(withoutTimeouts(ours)).containsExactlyInAnyOrderElementsOf(withoutTimeouts(theirs));
    }

    @Test
    void natMatchesLinux() throws Exception {
        Path linuxOut = compare(ForwardingScenarios.natted(tmp.resolve("in")), List.of());
        List<String> ours = Files.readAllLines(tmp.resolve("jnft").resolve("conntrack.txt"));
        assertThat(ours).anyMatch(l -> l.contains("dst=10.0.2.1 sport=443 dport=41000"));
        assertThat(withoutTimeouts(ours))
                .containsExactlyInAnyOrderElementsOf(withoutTimeouts(Files.readAllLines(linuxOut.resolve("conntrack.txt"))));
    }

    @Test
    void pickupAndExpiryMatchLinux() throws Exception {
        Scenario s = ForwardingScenarios.pickupAndExpiry(tmp.resolve("in"));
        Path linuxOut = compare(s, List.of("--realtime", "--set", "net.netfilter.nf_conntrack_udp_timeout=2"),
                List.of("--set", "net.netfilter.nf_conntrack_udp_timeout=2"));
        List<String> ours = Files.readAllLines(tmp.resolve("jnft").resolve("conntrack.txt"));
        assertThat(ours).hasSize(1).allMatch(l -> l.startsWith("tcp ") && l.contains(" ESTABLISHED "));
        assertThat(withoutTimeouts(ours))
                .containsExactlyInAnyOrderElementsOf(withoutTimeouts(Files.readAllLines(linuxOut.resolve("conntrack.txt"))));
        assertThat(Files.readAllLines(tmp.resolve("jnft").resolve("stats.txt"))).contains("drop NETFILTER_DROP 1");
    }

    /** conntrack -L lines with the timeout column blanked: Linux's run on the wall clock, ours on virtual time. */
    static List<String> withoutTimeouts(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            out.add(l.replaceFirst("^(\\S+\\s+\\d+\\s+)\\d+ ", "$1T "));
        }
        return out;
    }

    @Test
    void rateLimitsResetsAndRedirectsMatchLinux() throws Exception {
        compare(ForwardingScenarios.edges(tmp.resolve("in")), List.of());
    }

    private Path compare(Scenario s, List<String> krExtra) throws Exception {
        return compare(s, krExtra, List.of());
    }

    private Path compare(Scenario s, List<String> krExtra, List<String> jnftExtra) throws Exception {
        KernelComparison k = KernelComparison.run(s, tmp, krExtra, jnftExtra);
        if (s.ruleset != null) {
            k.assertSameFrames(); // the listing too: counters as they stand
        } else {
            k.assertSameWire(java.util.function.UnaryOperator.identity());
        }
        return k.linux;
    }

    @Test
    void normaliseLeavesOutMldAndZeroesRandomFields() throws IOException {
        byte[] v4 = new byte[40];
        v4[12] = 0x08;
        v4[18] = 1;
        v4[25] = 7;
        v4[30] = 9;
        assertThat(normalise(List.of(v4)).getFirst()).isEqualTo(HexFormat.of().formatHex(zeroed(v4)));
        byte[] mld = new byte[90];
        mld[12] = (byte) 0x86;
        mld[13] = (byte) 0xdd;
        mld[20] = 0;
        mld[54] = 58;
        mld[55] = 0;
        mld[62] = (byte) 143;
        assertThat(normalise(List.of(mld))).isEmpty();
    }

    private static byte[] zeroed(byte[] b) {
        byte[] c = b.clone();
        c[18] = 0;
        c[19] = 0;
        c[24] = 0;
        c[25] = 0;
        return c;
    }
}
