package org.jnft.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import org.jnft.packet.Checksum;
import org.jnft.packet.IpProto;
import org.jnft.packet.Ipv4View;
import org.jnft.packet.Ipv6View;
import org.jnft.packet.PacketInfo;
import org.jnft.packet.PacketParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
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
        Path kr = Tools.kernelReplay();
        Tools.require(Files.isExecutable(kr), "kernel-replay at " + kr);
        Tools.require(Tools.isRoot(), "root (kernel-replay needs network namespaces)");
        for (String t : List.of("ip", "tcpdump", "nft", "conntrack")) {
            Tools.require(Tools.onPath(t), t);
        }
        Tools.require(Files.isExecutable(Path.of("/usr/bin/python3")), "/usr/bin/python3 with scapy");

        List<String> args = s.write();
        Path ours = tmp.resolve("jnft");
        Path linux = tmp.resolve("linux");
        List<String> jargs = new ArrayList<>(List.of("replay"));
        jargs.addAll(args);
        jargs.addAll(List.of("--out", ours.toString()));
        jargs.addAll(jnftExtra);
        assertThat(Main.execute(jargs.toArray(String[]::new))).isZero();

        List<String> kargs = new ArrayList<>(List.of(kr.toString()));
        kargs.addAll(args);
        kargs.addAll(List.of("--out", linux.toString()));
        kargs.addAll(krExtra);
        Tools.Result r = Tools.run(kargs, 300);
        assertThat(r.exit()).as("kernel-replay: " + r.err()).isZero();

        if (s.ruleset != null) {
            // nft list ruleset at the end: counters as they stand
            assertThat(Files.readString(ours.resolve("ruleset.nft")))
                    .isEqualTo(Files.readString(linux.resolve("ruleset.nft")));
        }
        for (String iface : List.of("lan", "wan")) {
            for (byte[] f : Scenario.frames(ours.resolve(iface + ".pcap"))) {
                assertThat(checksumsValid(f)).as("checksums of " + HexFormat.of().formatHex(f)).isTrue();
            }
            List<String> mine = normalise(Scenario.frames(ours.resolve(iface + ".pcap")));
            List<String> theirs = normalise(Scenario.frames(linux.resolve(iface + ".pcap")));
            assertThat(mine).as("frames sent on " + iface + " (jnft vs Linux)").containsExactlyElementsOf(theirs);
        }
        return linux;
    }

    /**
     * Hex of each frame with the randomised fields zeroed; Linux's MLD reports left out. TCP and UDP checksums
     * are zeroed too: Linux leaves the ones of segments it makes itself to the (virtual) NIC, so its capture
     * holds partial sums; ours are checked separately, and forwarded ones are the sender's anyway.
     */
    static List<String> normalise(List<byte[]> frames) {
        List<String> out = new ArrayList<>();
        PacketInfo pi = new PacketInfo();
        for (byte[] f : frames) {
            byte[] c = f.clone();
            PacketParser.parse(MemorySegment.ofArray(c), 0, c.length, pi);
            if (pi.l4Offset >= 0 && !pi.fragment && (pi.l4Proto == IpProto.TCP || pi.l4Proto == IpProto.UDP)) {
                int at = pi.l4Offset + (pi.l4Proto == IpProto.TCP ? 16 : 6);
                if (at + 1 < c.length) {
                    c[at] = 0;
                    c[at + 1] = 0;
                }
            }
            int type = ((c[12] & 0xff) << 8) | (c[13] & 0xff);
            if (type == 0x0800 && c.length >= 34) {
                c[18] = 0;
                c[19] = 0;
                c[24] = 0;
                c[25] = 0;
            } else if (type == 0x86dd && c.length >= 54) {
                if (isMld(c)) {
                    continue;
                }
                c[15] &= (byte) 0xf0;
                c[16] = 0;
                c[17] = 0;
            }
            out.add(HexFormat.of().formatHex(c));
        }
        return out;
    }

    static boolean checksumsValid(byte[] f) {
        PacketInfo pi = new PacketInfo();
        MemorySegment s = MemorySegment.ofArray(f);
        PacketParser.parse(s, 0, f.length, pi);
        if (pi.etherType == 0x0800 && !Checksum.ipv4HeaderValid(s, pi.l3Offset)) {
            return false;
        }
        if (pi.l4Offset < 0 || pi.fragment || pi.l4Length <= 0) {
            return true;
        }
        if (pi.etherType == 0x0800) {
            Ipv4View ip = new Ipv4View().wrap(s, pi.l3Offset);
            return pi.l4Proto == IpProto.ICMP
                    ? Checksum.fold(Checksum.sum(s, pi.l4Offset, pi.l4Length, 0)) == 0xffff
                    : Checksum.l4ValidV4(s, pi.l4Offset, pi.l4Length, ip.src(), ip.dst(), pi.l4Proto);
        }
        Ipv6View ip = new Ipv6View().wrap(s, pi.l3Offset);
        return Checksum.l4ValidV6(s, pi.l4Offset, pi.l4Length, ip.srcHi(), ip.srcLo(), ip.dstHi(), ip.dstLo(),
                pi.l4Proto);
    }

    private static boolean isMld(byte[] c) {
        int next = c[20] & 0xff;
        int off = 54;
        if (next == 0 && c.length > off + 8) { // hop-by-hop (router alert) before the MLD report
            next = c[off] & 0xff;
            off += ((c[off + 1] & 0xff) + 1) * 8;
        }
        return next == 58 && c.length > off && (c[off] & 0xff) == 143;
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
