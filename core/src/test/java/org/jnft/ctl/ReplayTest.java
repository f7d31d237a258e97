package org.jnft.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jnft.packet.IcmpView;
import org.jnft.packet.Icmpv6View;
import org.jnft.packet.IpProto;
import org.jnft.packet.Ipv4View;
import org.jnft.packet.Ipv6View;
import org.jnft.packet.PacketInfo;
import org.jnft.packet.PacketParser;
import org.jnft.packet.ParseStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `jnft replay` end to end: the frames sent, the counters, and the command-line contract. */
class ReplayTest {
    @TempDir
    Path tmp;

    private List<String> args;
    private Path out;

    @BeforeEach
    void writeScenario() throws Exception {
        args = ForwardingScenarios.everything(tmp.resolve("in")).write();
        out = tmp.resolve("out");
    }

    private int replay(List<String> extra) {
        List<String> a = new ArrayList<>(List.of("replay"));
        a.addAll(args);
        a.addAll(extra);
        return Main.execute(a.toArray(String[]::new));
    }

    private static MemorySegment seg(byte[] f) {
        return MemorySegment.ofArray(f);
    }

    @Test
    void forwardsWithTtlDecrementedAndMacsRewritten() throws Exception {
        assertThat(replay(List.of("--out", out.toString()))).isZero();
        List<byte[]> b = Scenario.frames(out.resolve("wan.pcap"));
        PacketInfo pi = new PacketInfo();
        Ipv4View ip = new Ipv4View();
        int udp4 = 0;
        int frags = 0;
        for (byte[] f : b) {
            assertThat(PacketParser.parse(seg(f), 0, f.length, pi)).isEqualTo(ParseStatus.OK);
            assertThat(java.nio.ByteBuffer.wrap(f, 0, 6).getShort() & 0xffff).isEqualTo(0x0200);
            if (pi.etherType == 0x0800) {
                ip.wrap(seg(f), pi.l3Offset);
                assertThat(ip.ttl()).isEqualTo(63);
                assertThat(org.jnft.packet.Checksum.ipv4HeaderValid(seg(f), pi.l3Offset)).isTrue();
                if (pi.fragment) {
                    frags++;
                    assertThat(ip.totalLength()).isLessThanOrEqualTo(1400);
                } else if (pi.l4Proto == IpProto.UDP) {
                    udp4++;
                }
            }
        }
        assertThat(udp4).as("unfragmented UDP forwarded on wan").isEqualTo(1);
        assertThat(frags).as("a 1450-byte datagram without DF split for MTU 1400").isEqualTo(2);
        assertThat(b).hasSize(1 + 1 + 2 + 1); // UDP, TCP SYN, two fragments, IPv6 UDP
    }

    @Test
    void answersWithIcmpAsLinux() throws Exception {
        assertThat(replay(List.of("--out", out.toString()))).isZero();
        List<byte[]> a = Scenario.frames(out.resolve("lan.pcap"));
        PacketInfo pi = new PacketInfo();
        IcmpView icmp = new IcmpView();
        Icmpv6View icmp6 = new Icmpv6View();
        List<String> kinds = new ArrayList<>();
        for (byte[] f : a) {
            PacketParser.parse(seg(f), 0, f.length, pi);
            if (pi.etherType == 0x0806) {
                kinds.add("arp");
            } else if (pi.l4Proto == IpProto.ICMP) {
                icmp.wrap(seg(f), pi.l4Offset);
                kinds.add("icmp " + icmp.type() + "/" + icmp.code());
            } else if (pi.l4Proto == IpProto.ICMPV6) {
                icmp6.wrap(seg(f), pi.l4Offset);
                kinds.add("icmpv6 " + icmp6.type() + "/" + icmp6.code());
            } else {
                kinds.add("ip " + pi.l4Proto);
            }
        }
        assertThat(kinds).containsExactly(
                "arp", "icmp 0/0", "icmp 0/0", "icmp 11/0", "icmp 3/0", "icmp 3/4", "icmp 3/3",
                "icmpv6 136/0", "icmpv6 129/0", "icmpv6 3/0", "icmpv6 1/0", "icmpv6 2/0", "icmpv6 1/4",
                "ip 17", "ip 17");
    }

    @Test
    void statsCountEveryFrameAndEveryDrop() throws Exception {
        assertThat(replay(List.of("--out", out.toString()))).isZero();
        List<String> lines = Files.readAllLines(out.resolve("stats.txt"));
        assertThat(lines.get(0)).startsWith("iface lan rx_packets=18 ");
        assertThat(lines.get(1)).startsWith("iface wan rx_packets=2 ");
        assertThat(lines.get(1)).contains(" tx_packets=5 ");
        assertThat(lines).contains("drop OTHERHOST 1", "drop IP_INHDR 2", "drop IP_INNOROUTES 2",
                "drop PKT_TOO_BIG 2", "drop NO_SOCKET 2");
        assertThat(lines.subList(2, lines.size())).isSorted();
        for (String f : List.of("ruleset.nft", "conntrack.txt", "flowtables.txt", "log.txt")) {
            assertThat(out.resolve(f)).exists().isEmptyFile();
        }
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        }
    }

    @Test
    void optionsTakeEitherFormAndAnyOrder() throws Exception {
        List<String> a = new ArrayList<>(List.of("replay", "--out=" + out));
        for (int i = args.size() - 2; i >= 0; i -= 2) {
            a.add(args.get(i) + "=" + args.get(i + 1));
        }
        assertThat(Main.execute(a.toArray(String[]::new))).isZero();
        assertThat(out.resolve("wan.pcap")).exists();
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(replay(List.of("--out", out.toString(), "--set", "net.ipv4.no_such_knob=1"))).isEqualTo(2);
        assertThat(replay(List.of("--out", out.toString(), "--set", "net.ipv4.ip_default_ttl=0"))).isEqualTo(2);
        assertThat(replay(List.of("--out", out.toString(), "--in", "zz=" + tmp.resolve("in/lan-in.pcap")))).isEqualTo(2);
        assertThat(replay(List.of("--out", out.toString(), "--in", "lan=" + tmp.resolve("in/lan-in.pcap")))).isEqualTo(2);
        assertThat(Main.execute("replay", "--net", "x")).isEqualTo(2);
        assertThat(out).doesNotExist();
    }

    @Test
    void badInputExitsOneNamingTheFileAndLeavesDirAlone() throws Exception {
        Path bad = tmp.resolve("bad.net");
        Files.writeString(bad, "link add lan address 02:00:00:00:0a:01\nlink add b adress 02:00:00:00:0b:01\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = Main.execute("replay", "--net", bad.toString(), "--in", "lan=" + tmp.resolve("in/lan-in.pcap"),
                    "--out", out.toString());
        } finally {
            System.setErr(old);
        }
        assertThat(rc).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(bad + ":2:");
        assertThat(out).doesNotExist();

        Path garbage = tmp.resolve("garbage.pcap");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        Files.createDirectories(out);
        Files.writeString(out.resolve("stats.txt"), "old\n");
        List<String> a = new ArrayList<>(List.of("replay", "--net", tmp.resolve("in/net.conf").toString(),
                "--in", "lan=" + garbage, "--out", out.toString()));
        assertThat(Main.execute(a.toArray(String[]::new))).isEqualTo(1);
        assertThat(Files.readString(out.resolve("stats.txt"))).isEqualTo("old\n");
    }

    @Test
    void filterChainsDropOnEveryHook() throws Exception {
        Scenario s = ForwardingScenarios.everything(tmp.resolve("in2"));
        s.ruleset = ForwardingScenarios.FILTER;
        List<String> a = new ArrayList<>(List.of("replay"));
        a.addAll(s.write());
        a.addAll(List.of("--out", out.toString()));
        assertThat(Main.execute(a.toArray(String[]::new))).isZero();
        List<String> lines = Files.readAllLines(out.resolve("stats.txt"));
        // input: an echo and an IPv6 datagram; forward: TCP to port 80, DNS over IPv6, UDP 40003; output: an
        // ICMPv6 time exceeded and an ICMP port unreachable; raw prerouting: the DNS answer with TTL 50;
        // netdev ingress on wan: the IPv6 DNS answer
        assertThat(lines).contains("drop NETFILTER_DROP 9", "drop NO_SOCKET 1");
        assertThat(Files.readString(out.resolve("ruleset.nft"))).contains("table inet filter {", "table ip raw {");
    }

    @Test
    void vlanSubInterfacesTagAndUntag() throws Exception {
        String net = """
                link add eth0 address 02:00:00:00:0a:01
                link add link eth0 name eth0.10 type vlan id 10
                link add wan address 02:00:00:00:0b:01
                addr add 10.0.10.1/24 dev eth0.10
                addr add 10.0.2.1/24 dev wan
                route add default via 10.0.2.2 dev wan
                neigh add 10.0.10.2 lladdr 02:00:00:00:0a:02 dev eth0.10
                neigh add 10.0.2.2 lladdr 02:00:00:00:0b:02 dev wan
                """;
        int host = ForwardingScenarios.ip4("10.0.10.2");
        int far = ForwardingScenarios.ip4("198.51.100.7");
        Scenario s = new Scenario(tmp.resolve("vlan"), net);
        s.in("eth0", org.jnft.packet.PacketBuilder.ether(ForwardingScenarios.HOST_A, ForwardingScenarios.R_A).vlan(10)
                .ipv4(host, far).ttl(64).udp(1000, 53).payloadLength(20).build());
        s.in("eth0", org.jnft.packet.PacketBuilder.ether(ForwardingScenarios.HOST_A, ForwardingScenarios.R_A).vlan(20)
                .ipv4(host, far).ttl(64).udp(1000, 53).payloadLength(20).build());
        s.in("eth0", org.jnft.packet.PacketBuilder.ether(ForwardingScenarios.HOST_A, 0xffff_ffff_ffffL).vlan(10)
                .arp(org.jnft.packet.ArpView.OP_REQUEST, ForwardingScenarios.HOST_A, host, 0,
                        ForwardingScenarios.ip4("10.0.10.1")).build());
        s.in("wan", org.jnft.packet.PacketBuilder.ether(ForwardingScenarios.GW_B, ForwardingScenarios.R_B)
                .ipv4(far, host).ttl(50).udp(53, 1000).payloadLength(30).build());
        List<String> a = new ArrayList<>(List.of("replay"));
        a.addAll(s.write());
        a.addAll(List.of("--out", out.toString()));
        assertThat(Main.execute(a.toArray(String[]::new))).isZero();

        List<byte[]> wan = Scenario.frames(out.resolve("wan.pcap"));
        assertThat(wan).hasSize(1);
        assertThat(wan.getFirst()[12]).as("untagged on wan").isEqualTo((byte) 0x08);
        List<byte[]> eth0 = Scenario.frames(out.resolve("eth0.pcap"));
        assertThat(eth0).hasSize(2); // the ARP reply and the answer, both tagged with VLAN 10
        for (byte[] f : eth0) {
            assertThat(((f[12] & 0xff) << 8) | (f[13] & 0xff)).isEqualTo(0x8100);
            assertThat(((f[14] & 0x0f) << 8) | (f[15] & 0xff)).isEqualTo(10);
        }
        assertThat(((eth0.get(0)[16] & 0xff) << 8) | (eth0.get(0)[17] & 0xff)).isEqualTo(0x0806);
        PacketInfo pi = new PacketInfo();
        PacketParser.parse(seg(eth0.get(1)), 0, eth0.get(1).length, pi);
        assertThat(pi.vlanId()).isEqualTo(10);
        assertThat(new Ipv4View().wrap(seg(eth0.get(1)), pi.l3Offset).ttl()).isEqualTo(49);
        assertThat(out.resolve("eth0.10.pcap")).doesNotExist();
        List<String> lines = Files.readAllLines(out.resolve("stats.txt"));
        assertThat(lines.get(1)).startsWith("iface eth0.10 rx_packets=2 ");
        assertThat(lines).contains("drop OTHERHOST 1");
    }

    @Test
    void synFloodOnAFullTableLeavesEstablishedConnectionsWorking() throws Exception {
        // (kernel-replay cannot set nf_conntrack_max, so this one has no oracle run)
        Scenario s = new Scenario(tmp.resolve("flood"), ForwardingScenarios.NET);
        s.ruleset = ForwardingScenarios.STATEFUL;
        int far = ForwardingScenarios.FAR4;
        int h = ForwardingScenarios.H4;
        int ack = org.jnft.packet.TcpView.ACK;
        int syn = org.jnft.packet.TcpView.SYN;
        s.in("lan", ForwardingScenarios.fromA4(far).df(true).tcp(41000, 443, syn, 1000, 0).window(64240).build());
        s.in("wan", ForwardingScenarios.fromB4(far, h).tcp(443, 41000, syn | ack, 5000, 1001).window(65160).build());
        s.in("lan", ForwardingScenarios.fromA4(far).df(true).tcp(41000, 443, ack, 1001, 5001).window(502).build());
        s.in("lan", ForwardingScenarios.fromA4(far).df(true).tcp(41000, 443, ack | org.jnft.packet.TcpView.PSH,
                1001, 5001).window(502).payloadLength(10).build());
        s.in("wan", ForwardingScenarios.fromB4(far, h).tcp(443, 41000, ack, 5001, 1011).window(501).build());
        for (int i = 0; i < 200; i++) {
            s.in("lan", ForwardingScenarios.fromA4(far).df(true).tcp(20000 + i, 80, syn, i, 0).window(1000).build(), 1);
        }
        for (int i = 0; i < 5; i++) {
            s.in("lan", ForwardingScenarios.fromA4(far).df(true).tcp(41000, 443, ack | org.jnft.packet.TcpView.PSH,
                    1011 + 10 * i, 5001).window(502).payloadLength(10).build());
            s.in("wan", ForwardingScenarios.fromB4(far, h).tcp(443, 41000, ack, 5001, 1021 + 10 * i).window(501)
                    .build());
        }
        List<String> a = new ArrayList<>(List.of("replay"));
        a.addAll(s.write());
        a.addAll(List.of("--out", out.toString(), "--set", "net.netfilter.nf_conntrack_max=8"));
        assertThat(Main.execute(a.toArray(String[]::new))).isZero();
        List<String> ct = Files.readAllLines(out.resolve("conntrack.txt"));
        assertThat(ct).hasSizeLessThanOrEqualTo(8);
        assertThat(ct).anyMatch(l -> l.contains("sport=41000") && l.contains("[ASSURED]"));
        PacketInfo pi = new PacketInfo();
        int established = 0;
        for (byte[] f : Scenario.frames(out.resolve("wan.pcap"))) {
            PacketParser.parse(seg(f), 0, f.length, pi);
            if (pi.l4Proto == IpProto.TCP && (((f[pi.l4Offset] & 0xff) << 8) | (f[pi.l4Offset + 1] & 0xff)) == 41000) {
                established++;
            }
        }
        assertThat(established).as("the established connection's segments all forwarded").isEqualTo(3 + 5);
    }

    @Test
    void ipv6ForwardedWithHopLimitDecremented() throws Exception {
        assertThat(replay(List.of("--out", out.toString()))).isZero();
        PacketInfo pi = new PacketInfo();
        Ipv6View ip6 = new Ipv6View();
        int seen = 0;
        for (byte[] f : Scenario.frames(out.resolve("lan.pcap"))) {
            PacketParser.parse(seg(f), 0, f.length, pi);
            if (pi.etherType == 0x86dd && pi.l4Proto == IpProto.UDP) {
                ip6.wrap(seg(f), pi.l3Offset);
                assertThat(ip6.hopLimit()).isEqualTo(49);
                seen++;
            }
        }
        assertThat(seen).isEqualTo(1);
    }
}
