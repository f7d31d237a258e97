package org.jnft.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnft.ctl.ForwardingScenarios.FAR4;
import static org.jnft.ctl.ForwardingScenarios.H4;
import static org.jnft.ctl.ForwardingScenarios.fromA4;
import static org.jnft.ctl.ForwardingScenarios.fromB4;
import static org.jnft.testing.KernelFrames.checksumsValid;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jnft.packet.Addresses;
import org.jnft.packet.PacketBuilder;
import org.jnft.packet.TcpView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flowtable in replay, on virtual time: what the output files show of offloaded flows and their life. */
class FlowtableReplayTest {
    @TempDir
    Path tmp;

    private Path replay(Scenario s, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("replay"));
        args.addAll(s.write());
        Path out = tmp.resolve("out");
        args.addAll(List.of("--out", out.toString()));
        args.addAll(List.of(extra));
        assertThat(Main.execute(args.toArray(String[]::new))).isZero();
        return out;
    }

    private static String file(Path out, String name) throws Exception {
        return Files.readString(out.resolve(name));
    }

    /** The packets counter of the first rule whose text contains {@code rule}. */
    private static long counter(Path out, String rule) throws Exception {
        for (String l : Files.readAllLines(out.resolve("ruleset.nft"))) {
            if (l.contains(rule)) {
                Matcher m = Pattern.compile("packets (\\d+)").matcher(l);
                assertThat(m.find()).as(l).isTrue();
                return Long.parseLong(m.group(1));
            }
        }
        throw new AssertionError("no rule " + rule);
    }

    private static long header(Path out, String table, String key) throws Exception {
        for (String l : Files.readAllLines(out.resolve("flowtables.txt"))) {
            if (l.startsWith("flowtable ") && l.contains(" " + table + " ")) {
                Matcher m = Pattern.compile(key + "=(\\d+)").matcher(l);
                assertThat(m.find()).isTrue();
                return Long.parseLong(m.group(1));
            }
        }
        throw new AssertionError("no flowtable " + table);
    }

    /** A frame for another host's MAC: dropped as OTHERHOST, it only moves the clock. */
    private static byte[] tick() {
        return PacketBuilder.ether(ForwardingScenarios.HOST_A, Addresses.parseMac("02:00:00:00:0a:99"))
                .ipv4(H4, FAR4).udp(9, 9).payloadLength(4).build();
    }

    @Test
    void afterTheHandshakeOnlyTheFirstPacketsPassTheForwardChain() throws Exception {
        Path out = replay(FlowtableScenarios.bulkTcp(tmp.resolve("in"), 150));
        // SYN-ACK and the ACK that offloads the connection; then 300 data segments and the close go past the rules
        assertThat(counter(out, "ct state established,related counter")).isEqualTo(2);
        assertThat(counter(out, "iifname \"lan\" counter")).isEqualTo(1);
        assertThat(header(out, "filter", "hits")).isEqualTo(303);
        assertThat(file(out, "flowtables.txt")).isEqualTo("""
                flowtable inet filter ft hits=303 misses=3 flows=1
                tcp src=10.0.1.2 dst=198.51.100.7 sport=41000 dport=443 iif=lan src=198.51.100.7 dst=10.0.1.2 \
                sport=443 dport=41000 iif=wan expires=30 [closing]
                """);
        assertThat(file(out, "conntrack.txt")).isEqualTo("tcp      6 src=10.0.1.2 dst=198.51.100.7 sport=41000 "
                + "dport=443 src=198.51.100.7 dst=10.0.1.2 sport=443 dport=41000 [OFFLOAD] mark=0 use=2\n");
        List<byte[]> wan = Scenario.frames(out.resolve("wan.pcap"));
        assertThat(wan).hasSize(2 + 150 + 2);
        assertThat(wan).allMatch(f -> checksumsValid(f));
        assertThat(Scenario.frames(out.resolve("lan.pcap"))).hasSize(1 + 150 + 1).allMatch(f -> checksumsValid(f));
    }

    @Test
    void aClosedFlowExpiresAfterThirtySecondsIntoCloseThenGoes() throws Exception {
        Scenario s = FlowtableScenarios.bulkTcp(tmp.resolve("in"), 5);
        s.in("lan", tick(), 31_500);
        Path out = replay(s);
        assertThat(header(out, "filter", "flows")).isZero();
        String ct = file(out, "conntrack.txt");
        assertThat(ct).startsWith("tcp      6 ").contains(" CLOSE src=10.0.1.2 ").contains("[ASSURED]")
                .doesNotContain("OFFLOAD").contains("use=1");
        int left = Integer.parseInt(ct.split("\\s+")[2]);
        assertThat(left).isBetween(8, 10);

        Scenario later = FlowtableScenarios.bulkTcp(tmp.resolve("in2"), 5);
        later.in("lan", tick(), 31_500);
        later.in("lan", tick(), 10_500);
        Path out2 = replay(later);
        assertThat(file(out2, "conntrack.txt")).isEmpty();
    }

    @Test
    void aSynOnAClosingFlowTearsItDownAndTakesTheClassicPath() throws Exception {
        Scenario s = FlowtableScenarios.bulkTcp(tmp.resolve("in"), 5);
        s.in("lan", fromA4(FAR4).df(true).tcp(41000, 443, TcpView.SYN, 90_000, 0).window(64240).build(), 200);
        Path out = replay(s);
        assertThat(header(out, "filter", "flows")).isZero();
        // the old connection was closed: conntrack reopens it as a new one, which the policy accepts from lan
        assertThat(file(out, "conntrack.txt")).contains(" SYN_SENT src=10.0.1.2 dst=198.51.100.7 sport=41000 dport=443 ")
                .contains("[UNREPLIED]");
        assertThat(counter(out, "iifname \"lan\" counter")).isEqualTo(2);
        List<byte[]> wan = Scenario.frames(out.resolve("wan.pcap"));
        assertThat(wan.getLast()[14 + 20 + 13] & 0xff).isEqualTo(TcpView.SYN);
    }

    @Test
    void anIdleFlowExpiresAndTheClassicPathPicksTheConnectionUp() throws Exception {
        Scenario s = new Scenario(tmp.resolve("in"), ForwardingScenarios.NET);
        s.ruleset = FlowtableScenarios.OFFLOAD;
        FlowtableScenarios.tcpConnection(s, 41000, 443, H4, 5, false);
        s.in("lan", tick(), 31_000);
        Path idle = replay(s);
        assertThat(header(idle, "filter", "flows")).isZero();
        String ct = file(idle, "conntrack.txt");
        assertThat(ct).contains(" ESTABLISHED ").contains("[ASSURED]").doesNotContain("OFFLOAD");
        // handed back: ESTABLISHED's 432000 s minus the flow's 30 s would lengthen the offload's one day, and
        // flow_offload_fixup_ct only shortens, so the day set at offload time runs on
        assertThat(Integer.parseInt(ct.split("\\s+")[2])).isBetween(86400 - 33, 86400 - 30);

        s.in("lan", fromA4(FAR4).df(true).tcp(41000, 443, TcpView.ACK | TcpView.PSH, 1501, 6001).window(502)
                .payloadLength(100).build(), 100);
        s.in("wan", fromB4(FAR4, H4).tcp(443, 41000, TcpView.ACK, 6001, 1601).window(501).build(), 10);
        Path again = replay(s);
        // the first packet after the gap went through the rules and offloaded the connection again
        assertThat(counter(again, "ct state established,related counter")).isEqualTo(3);
        assertThat(header(again, "filter", "flows")).isEqualTo(1);
        assertThat(file(again, "conntrack.txt")).contains("[OFFLOAD]");
        assertThat(Scenario.frames(again.resolve("wan.pcap"))).hasSize(2 + 5 + 1);
        assertThat(Scenario.frames(again.resolve("lan.pcap"))).hasSize(1 + 5 + 1);
    }

    @Test
    void aFlowtableOnTheInputDeviceOnlyAcceleratesOnlyThatDirection() throws Exception {
        Scenario s = new Scenario(tmp.resolve("in"), ForwardingScenarios.NET);
        s.ruleset = FlowtableScenarios.OFFLOAD.replace("devices = { lan, wan }", "devices = { lan }");
        FlowtableScenarios.tcpConnection(s, 41000, 443, H4, 20, false);
        Path out = replay(s);
        assertThat(header(out, "filter", "hits")).isEqualTo(20);
        // replies still arrive on wan, which has no hook: every one passes the forward chain
        assertThat(counter(out, "ct state established,related counter")).isEqualTo(2 + 20);
        assertThat(file(out, "flowtables.txt")).contains("iif=lan").contains("iif=wan");
    }

    static final String FOUR_LINKS = ForwardingScenarios.NET + """
            link add lan2 address 02:00:00:00:0c:01
            link add wan2 address 02:00:00:00:0d:01
            addr add 10.0.3.1/24 dev lan2
            addr add 10.0.4.1/24 dev wan2
            route add 203.0.113.0/24 via 10.0.4.2 dev wan2
            neigh add 10.0.3.2 lladdr 02:00:00:00:0c:02 dev lan2
            neigh add 10.0.4.2 lladdr 02:00:00:00:0d:02 dev wan2
            """;

    @Test
    void twoFlowtablesOnDisjointDevicesKeepTheirFlowsApart() throws Exception {
        Scenario s = new Scenario(tmp.resolve("in"), FOUR_LINKS);
        s.ruleset = """
                table inet filter {
                    flowtable one {
                        hook ingress priority 0
                        devices = { lan, wan }
                    }
                    flowtable two {
                        hook ingress priority 10
                        devices = { lan2, wan2 }
                    }
                    chain forward {
                        type filter hook forward priority 0; policy accept;
                        iifname { "lan", "wan" } meta l4proto tcp flow add @one
                        iifname { "lan2", "wan2" } meta l4proto tcp flow add @two
                        counter
                    }
                }
                """;
        FlowtableScenarios.tcpConnection(s, 41000, 443, H4, 10, false);
        int h2 = Addresses.parseIpv4("10.0.3.2");
        int far2 = Addresses.parseIpv4("203.0.113.9");
        long r3 = Addresses.parseMac("02:00:00:00:0c:01");
        long r4 = Addresses.parseMac("02:00:00:00:0d:01");
        long host2 = Addresses.parseMac("02:00:00:00:0c:02");
        long gw2 = Addresses.parseMac("02:00:00:00:0d:02");
        int ack = TcpView.ACK;
        s.in("lan2", PacketBuilder.ether(host2, r3).ipv4(h2, far2).ttl(64).tcp(50000, 80, TcpView.SYN, 1, 0)
                .window(1000).build());
        s.in("wan2", PacketBuilder.ether(gw2, r4).ipv4(far2, h2).ttl(60).tcp(80, 50000, TcpView.SYN | ack, 100, 2)
                .window(1000).build());
        for (int i = 0; i < 6; i++) {
            s.in("lan2", PacketBuilder.ether(host2, r3).ipv4(h2, far2).ttl(64).tcp(50000, 80, ack, 2, 101)
                    .window(1000).build());
        }
        Path out = replay(s);
        String fts = file(out, "flowtables.txt");
        String[] blocks = fts.split("(?=flowtable )");
        assertThat(blocks).hasSize(2);
        assertThat(blocks[0]).startsWith("flowtable inet filter one hits=20 ").contains("flows=1")
                .contains("sport=41000").doesNotContain("sport=50000");
        assertThat(blocks[1]).startsWith("flowtable inet filter two hits=5 ").contains("flows=1")
                .contains("sport=50000").doesNotContain("sport=41000");
    }

    static final String VLAN_NET = """
            link add lan address 02:00:00:00:0a:01
            link add wan address 02:00:00:00:0b:01
            link add link wan name wan.10 type vlan id 10
            addr add 10.0.1.1/24 dev lan
            addr add 10.0.2.1/24 dev wan.10
            route add 198.51.100.0/24 via 10.0.2.2 dev wan.10
            neigh add 10.0.1.2 lladdr 02:00:00:00:0a:02 dev lan
            neigh add 10.0.2.2 lladdr 02:00:00:00:0b:02 dev wan.10
            """;

    @Test
    void vlanTrafficIsOffloadedAndKeepsItsTag() throws Exception {
        Scenario s = new Scenario(tmp.resolve("in"), VLAN_NET);
        s.ruleset = FlowtableScenarios.OFFLOAD;
        int ack = TcpView.ACK;
        s.in("lan", fromA4(FAR4).df(true).tcp(41000, 443, TcpView.SYN, 1000, 0).window(64240).build());
        s.in("wan", fromB4(FAR4, H4).vlan(10).tcp(443, 41000, TcpView.SYN | ack, 5000, 1001).window(65160).build());
        s.in("lan", fromA4(FAR4).df(true).tcp(41000, 443, ack, 1001, 5001).window(502).build());
        for (int i = 0; i < 10; i++) {
            s.in("lan", fromA4(FAR4).df(true).tcp(41000, 443, ack, 1001, 5001).window(502).payloadLength(10).build());
            s.in("wan", fromB4(FAR4, H4).vlan(10).tcp(443, 41000, ack, 5001, 1001).window(501).payloadLength(20)
                    .build());
        }
        Path out = replay(s);
        assertThat(header(out, "filter", "hits")).isEqualTo(20);
        assertThat(file(out, "flowtables.txt")).contains("iif=lan").contains("iif=wan.10");
        List<byte[]> wan = Scenario.frames(out.resolve("wan.pcap"));
        assertThat(wan).hasSize(2 + 10).allMatch(f -> (f[12] & 0xff) == 0x81 && f[13] == 0 && f[15] == 10)
                .allMatch(f -> checksumsValid(f));
        assertThat(Scenario.frames(out.resolve("lan.pcap"))).hasSize(1 + 10)
                .allMatch(f -> (f[12] & 0xff) == 0x08 && checksumsValid(f));
    }

    @Test
    void udpIsOffloadedOnItsReplyAndHandedBackWithTheStreamTimeoutLessThirtySeconds() throws Exception {
        Scenario s = new Scenario(tmp.resolve("in"), ForwardingScenarios.NET);
        s.ruleset = FlowtableScenarios.OFFLOAD;
        FlowtableScenarios.udpFlow(s, 40300, 53, H4, 10);
        Path live = replay(s);
        // the first datagram's entry is not confirmed yet in forward; its reply offloads the flow
        assertThat(header(live, "filter", "hits")).isEqualTo(18);
        assertThat(file(live, "conntrack.txt")).startsWith("udp      17 src=10.0.1.2 ").endsWith("[OFFLOAD] mark=0 use=2\n");
        s.in("lan", tick(), 31_000);
        Path idle = replay(s);
        String ct = file(idle, "conntrack.txt");
        assertThat(ct).doesNotContain("OFFLOAD").contains("use=1");
        assertThat(Integer.parseInt(ct.split("\\s+")[2])).isBetween(120 - 30 - 2, 120 - 30);
    }

    @Test
    void withCounterTheFastPathCountsOnTheConntrackEntry() throws Exception {
        Path out = replay(FlowtableScenarios.bulkTcp(tmp.resolve("in"), 150), "--set", "net.netfilter.nf_conntrack_acct=1");
        // every packet of both directions, whichever path it took: 154 from the host, 152 from the server
        // (40-byte headers, the handshake's MSS option, the payloads)
        assertThat(file(out, "conntrack.txt"))
                .contains(" dport=443 packets=154 bytes=" + (154 * 40 + 4 + 150 * 100) + " ")
                .contains(" dport=41000 packets=152 bytes=" + (152 * 40 + 4 + 150 * 200) + " ");
        Scenario plain = FlowtableScenarios.bulkTcp(tmp.resolve("in2"), 150);
        plain.ruleset = FlowtableScenarios.OFFLOAD.replace("counter\n", "");
        Path without = tmp.resolve("without");
        List<String> args = new ArrayList<>(List.of("replay"));
        args.addAll(plain.write());
        args.addAll(List.of("--out", without.toString(), "--set", "net.netfilter.nf_conntrack_acct=1"));
        assertThat(Main.execute(args.toArray(String[]::new))).isZero();
        // without the flowtable's counter flag only the classic path's packets count
        assertThat(file(without, "conntrack.txt")).contains(" dport=443 packets=2 ").contains(" dport=41000 packets=1 ");
    }

    @Test
    void netdevChainsAndTheFlowtableRunInPriorityOrderAtIngress() throws Exception {
        Scenario s = new Scenario(tmp.resolve("in"), ForwardingScenarios.NET);
        s.ruleset = FlowtableScenarios.OFFLOAD + """
                table netdev edge {
                    chain before {
                        type filter hook ingress device "lan" priority -10; policy accept;
                        ip daddr 198.51.100.7 counter
                    }
                    chain after {
                        type filter hook ingress device "lan" priority 10; policy accept;
                        ip daddr 198.51.100.7 counter
                    }
                }
                """;
        FlowtableScenarios.tcpConnection(s, 41000, 443, H4, 20, false);
        Path out = replay(s);
        List<String> rules = Files.readAllLines(out.resolve("ruleset.nft"));
        // 22 frames from the host: all pass the chain before the flowtable, only the 2 misses the one after
        assertThat(rules).contains("\t\tip daddr 198.51.100.7 counter packets 22 bytes 2884");
        assertThat(rules).contains("\t\tip daddr 198.51.100.7 counter packets 2 bytes 84");
        assertThat(header(out, "filter", "hits")).isEqualTo(40);
    }
}
