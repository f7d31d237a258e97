package org.jnft.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jnft.packet.Bytes;
import org.jnft.packet.IpProto;
import org.jnft.packet.PacketInfo;
import org.jnft.packet.PacketParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NAT against Linux (kernel-replay): two hosts on one source port through one address, source NAT to a port
 * range, redirect, IPv6 NAT and port forwards through maps. Frames are compared bit for bit (as
 * KernelReplayComparisonTest does) and conntrack lines but for their timeouts; where Linux draws a random
 * port, that port is masked and only its properties are compared.
 */
class NatKernelReplayTest {
    @TempDir
    Path tmp;

    @Test
    void secondHostOnTheSamePortGetsAnotherPortAsInLinux() throws Exception {
        KernelComparison k = KernelComparison.run(NatScenarios.samePortRandom(tmp.resolve("in")), tmp);
        k.assertSameFrames(NatKernelReplayTest::maskSecondHost);
        List<String> ours = k.conntrack(k.ours);
        List<String> linux = k.conntrack(k.linux);
        assertThat(maskSecondHostLines(ours)).containsExactlyInAnyOrderElementsOf(maskSecondHostLines(linux));
        for (List<String> lines : List.of(ours, linux)) {
            // the first host keeps its port and id; the second gets another one of the same class (1024-65535)
            assertThat(translated(lines, "tcp", "10.0.1.2")).isEqualTo(41000);
            assertThat(translated(lines, "udp", "10.0.1.2")).isEqualTo(5000);
            assertThat(translated(lines, "icmp", "10.0.1.2")).isEqualTo(0x77);
            assertThat(translated(lines, "tcp", "10.0.1.3")).isNotEqualTo(41000).isBetween(1024, 65535);
            assertThat(translated(lines, "udp", "10.0.1.3")).isNotEqualTo(5000).isBetween(1024, 65535);
            assertThat(translated(lines, "icmp", "10.0.1.3")).isNotEqualTo(0x77);
        }

        // jnft alone (Linux's port cannot be known before its run): the answers to the second host's port and
        // id reach the second host, as those to the first reached the first
        Scenario again = NatScenarios.samePortRandom(tmp.resolve("in2"));
        NatScenarios.answersToSecondHost(again, translated(ours, "tcp", "10.0.1.3"), translated(ours, "udp", "10.0.1.3"),
                translated(ours, "icmp", "10.0.1.3"));
        List<String> args = new ArrayList<>(List.of("replay"));
        args.addAll(again.write());
        args.addAll(List.of("--out", tmp.resolve("again").toString()));
        assertThat(Main.execute(args.toArray(String[]::new))).isZero();
        List<String> toHosts = new ArrayList<>();
        for (byte[] f : Scenario.frames(tmp.resolve("again").resolve("lan.pcap"))) {
            toHosts.add(describe(f));
        }
        assertThat(toHosts).containsExactly(
                "to 10.0.1.2 tcp 443>41000", "to 10.0.1.2 udp 53>5000", "to 10.0.1.2 icmp id 119",
                "to 10.0.1.3 tcp 443>41000", "to 10.0.1.3 udp 53>5000", "to 10.0.1.3 icmp id 119");
    }

    @Test
    void twoHostsThroughATwoPortRangeMatchLinux() throws Exception {
        KernelComparison k = KernelComparison.run(NatScenarios.samePortRange(tmp.resolve("in")), tmp);
        k.assertSameFrames();
        k.assertSameConntrack();
        assertThat(k.conntrack(k.ours)).anyMatch(l -> l.contains("src=10.0.1.3 dst=198.51.100.7 sport=41000 dport=443 "
                + "src=198.51.100.7 dst=10.0.2.1 sport=443 dport=41001 [ASSURED]"));
        List<String> toHosts = new ArrayList<>();
        for (byte[] f : k.raw(k.ours, "lan")) {
            toHosts.add(describe(f));
        }
        assertThat(toHosts).containsExactly("to 10.0.1.3 tcp 443>41000", "to 10.0.1.2 tcp 443>41000",
                "to 10.0.1.3 udp 53>41000", "to 10.0.1.2 udp 53>41000");
    }

    @Test
    void snatToAPortRangeMatchesLinux() throws Exception {
        KernelComparison k = KernelComparison.run(NatScenarios.snatPortRange(tmp.resolve("in")), tmp);
        k.assertSameFrames();
        k.assertSameConntrack();
        List<String> ours = k.conntrack(k.ours);
        assertThat(ours).hasSize(11).anyMatch(l -> l.contains("sport=5000 dport=80 src=198.51.100.7 dst=198.51.100.1 sport=80 dport=2010 "));
        assertThat(Files.readAllLines(k.ours.resolve("stats.txt"))).contains("drop NETFILTER_DROP 1");
    }

    @Test
    void snatToAnAddressRangeHashesAsLinux() throws Exception {
        KernelComparison k = KernelComparison.run(NatScenarios.snatAddressRange(tmp.resolve("in")), tmp);
        k.assertSameFrames();
        k.assertSameConntrack();
        List<String> ours = k.conntrack(k.ours);
        assertThat(ours.stream().filter(l -> l.startsWith("udp ")).map(l -> l.replaceFirst(".* dst=(\\S+) sport=53 .*", "$1"))
                .distinct()).as("UDP flows spread over the range").hasSizeGreaterThan(1);
        assertThat(ours.stream().filter(l -> l.startsWith("icmp ") && l.contains("src=10.0.1.2 "))
                .map(l -> l.replaceFirst(".* dst=(\\S+) type=0 .*", "$1")).distinct()).as("persistent: one address per source")
                .hasSize(1);
    }

    @Test
    void redirectMatchesLinux() throws Exception {
        KernelComparison k = KernelComparison.run(NatScenarios.redirect(tmp.resolve("in")), tmp);
        k.assertSameFrames();
        k.assertSameConntrack();
    }

    @Test
    void ipv6NatMatchesLinux() throws Exception {
        KernelComparison k = KernelComparison.run(NatScenarios.ipv6(tmp.resolve("in")), tmp);
        k.assertSameFrames();
        k.assertSameConntrack();
    }

    @Test
    void portForwardsThroughMapsMatchLinux() throws Exception {
        KernelComparison k = KernelComparison.run(NatScenarios.maps(tmp.resolve("in")), tmp);
        k.assertSameFrames();
        k.assertSameConntrack();
    }

    @Test
    void answersToConnectionsSourceNatedAtInputAreRoutedAgainAsInLinux() throws Exception {
        KernelComparison k = KernelComparison.run(NatScenarios.inputSnat(tmp.resolve("in")), tmp);
        k.assertSameFrames();
        k.assertSameConntrack();
        assertThat(k.raw(k.ours, "wan")).as("echo reply, reset, port unreachable, for IPv4 and IPv6").hasSize(6);
    }

    @Test
    void rejectingPortForwardedPacketsAnswersFromTheForwardedAddressAsInLinux() throws Exception {
        KernelComparison k = KernelComparison.run(NatScenarios.rejectNatted(tmp.resolve("in")), tmp);
        k.assertSameFrames();
        k.assertSameConntrack();
        assertThat(k.raw(k.ours, "wan")).as("a reset and a port unreachable, IPv4 and IPv6").hasSize(4);
    }

    // ---- helpers

    /** The translated port (TCP/UDP) or echo id (ICMP) in the reply tuple of {@code src}'s entry. */
    static int translated(List<String> lines, String proto, String src) {
        Pattern p = Pattern.compile("^" + proto + " .*src=" + Pattern.quote(src) + " .*src=\\S+ dst=\\S+ "
                + (proto.equals("icmp") ? "type=\\d+ code=\\d+ id=(\\d+)" : "sport=\\d+ dport=(\\d+)"));
        for (String l : lines) {
            Matcher m = p.matcher(l);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("no " + proto + " entry from " + src + " in " + lines);
    }

    /** The second host's lines with its translated port or id replaced by X. */
    static List<String> maskSecondHostLines(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            out.add(l.contains("src=10.0.1.3 ") ? l.replaceFirst("^(.*(?:dport|id)=)\\d+ ", "$1X ") : l);
        }
        return out;
    }

    /** A masqueraded frame of the second host (source port not the first host's, echo id not 0x77): masked. */
    static byte[] maskSecondHost(byte[] f) {
        PacketInfo pi = new PacketInfo();
        MemorySegment s = MemorySegment.ofArray(f);
        PacketParser.parse(s, 0, f.length, pi);
        if (pi.l4Offset < 0) {
            return f;
        }
        if (pi.l4Proto == IpProto.TCP || pi.l4Proto == IpProto.UDP) {
            int sport = Bytes.u16(s, pi.l4Offset);
            if (sport != 41000 && sport != 5000 && sport != 443 && sport != 53) {
                Bytes.setU16(s, pi.l4Offset, 0);
            }
        } else if (pi.l4Proto == IpProto.ICMP && Bytes.u8(s, pi.l4Offset) == 8 && Bytes.u16(s, pi.l4Offset + 4) != 0x77) {
            Bytes.setU16(s, pi.l4Offset + 2, 0);
            Bytes.setU16(s, pi.l4Offset + 4, 0);
        }
        return f;
    }

    /** "to ADDR proto sport>dport" (or "icmp id N") of an IPv4 frame. */
    static String describe(byte[] f) {
        PacketInfo pi = new PacketInfo();
        MemorySegment s = MemorySegment.ofArray(f);
        PacketParser.parse(s, 0, f.length, pi);
        int dst = Bytes.u32(s, pi.l3Offset + 16);
        String to = "to " + org.jnft.packet.Addresses.formatIpv4(dst);
        return switch (pi.l4Proto) {
            case IpProto.TCP -> to + " tcp " + Bytes.u16(s, pi.l4Offset) + ">" + Bytes.u16(s, pi.l4Offset + 2);
            case IpProto.UDP -> to + " udp " + Bytes.u16(s, pi.l4Offset) + ">" + Bytes.u16(s, pi.l4Offset + 2);
            case IpProto.ICMP -> to + " icmp id " + Bytes.u16(s, pi.l4Offset + 4);
            default -> to + " proto " + pi.l4Proto;
        };
    }
}
