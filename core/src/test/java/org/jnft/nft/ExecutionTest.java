package org.jnft.nft;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.jnft.vm.Engine;
import org.jnft.vm.Frames;
import org.jnft.vm.Interpreter;
import org.jnft.vm.NftPacket;
import org.jnft.vm.Ruleset;
import org.jnft.vm.Verdict;
import org.junit.jupiter.api.Test;

/** Rulesets compiled from text and run on hand-made frames. */
class ExecutionTest {
    private final Engine engine = new Engine();
    private final Interpreter interp = new Interpreter();

    static Ruleset compile(String text) throws NftException {
        return SnapshotBuilder.build(Frontend.loadText(new Source("test.nft", text)), 1);
    }

    static NftPacket tcp(int src, int dport, int flags) {
        return Frames.packet(Frames.ipv4(6, src, Frames.addr(192, 0, 2, 1), 40000, dport, flags, 0),
                NftPacket.HOOK_INPUT, 2, "eth0");
    }

    static NftPacket udp(int src, int dport) {
        return Frames.packet(Frames.ipv4(17, src, Frames.addr(192, 0, 2, 1), 40000, dport, 0, 10),
                NftPacket.HOOK_INPUT, 2, "eth0");
    }

    int input(Ruleset rs, NftPacket p) {
        return interp.runHook(rs, p.nfproto, NftPacket.HOOK_INPUT, p, engine);
    }

    static final int A = Frames.addr(10, 0, 0, 1), B = Frames.addr(10, 1, 2, 3), C = Frames.addr(192, 168, 1, 7);

    @Test
    void portsSetsAndPolicy() throws Exception {
        Ruleset rs = compile("""
                table inet f {
                  chain in { type filter hook input priority 0; policy drop;
                    tcp dport { 22, 80, 443 } accept
                    udp dport 53 accept
                  }
                }
                """);
        assertThat(input(rs, tcp(A, 22, 2))).isEqualTo(Verdict.ACCEPT);
        assertThat(input(rs, tcp(A, 443, 2))).isEqualTo(Verdict.ACCEPT);
        assertThat(input(rs, tcp(A, 25, 2))).isEqualTo(Verdict.DROP);
        assertThat(input(rs, udp(A, 53))).isEqualTo(Verdict.ACCEPT);
        assertThat(input(rs, udp(A, 22))).isEqualTo(Verdict.DROP);
    }

    @Test
    void intervalsConcatenationsAndFlags() throws Exception {
        Ruleset rs = compile("""
                table ip f {
                  set nets { type ipv4_addr; flags interval; elements = { 10.0.0.0/16, 192.168.1.0/24 } }
                  chain in { type filter hook input priority 0; policy accept;
                    ip saddr . tcp dport { 10.1.2.3 . 8080 } drop
                    tcp flags syn / fin,syn,rst,ack ip saddr != @nets drop
                    ip saddr 10.1.0.0-10.1.255.255 tcp dport 9 drop
                  }
                }
                """);
        assertThat(input(rs, tcp(B, 8080, 0x10))).isEqualTo(Verdict.DROP);
        assertThat(input(rs, tcp(B, 8081, 0x10))).isEqualTo(Verdict.ACCEPT);
        assertThat(input(rs, tcp(A, 80, 0x02))).isEqualTo(Verdict.ACCEPT);
        assertThat(input(rs, tcp(C, 80, 0x02))).isEqualTo(Verdict.ACCEPT);
        assertThat(input(rs, tcp(B, 80, 0x02))).isEqualTo(Verdict.DROP);
        assertThat(input(rs, tcp(B, 80, 0x12))).isEqualTo(Verdict.ACCEPT);
        assertThat(input(rs, tcp(B, 9, 0x10))).isEqualTo(Verdict.DROP);
    }

    @Test
    void jumpGotoReturnAndVerdictMaps() throws Exception {
        Ruleset rs = compile("""
                table ip f {
                  chain in { type filter hook input priority 0; policy drop;
                    tcp dport vmap { 22 : jump ssh, 80 : goto web }
                    udp dport 53 jump dns
                    accept
                  }
                  chain ssh { ip saddr 10.0.0.1 return; drop; }
                  chain web { ip saddr 10.0.0.1 accept; }
                  chain dns { return; }
                }
                """);
        assertThat(input(rs, tcp(A, 22, 2))).as("returns, then the final accept").isEqualTo(Verdict.ACCEPT);
        assertThat(input(rs, tcp(B, 22, 2))).isEqualTo(Verdict.DROP);
        assertThat(input(rs, tcp(A, 80, 2))).isEqualTo(Verdict.ACCEPT);
        assertThat(input(rs, tcp(B, 80, 2))).as("goto: the end of web is the base policy").isEqualTo(Verdict.DROP);
        assertThat(input(rs, udp(B, 53))).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void countersMarksAndNamedObjects() throws Exception {
        Model m = Frontend.loadText(new Source("t.nft", """
                table inet f {
                  counter seen { }
                  chain in { type filter hook input priority 0; policy accept;
                    counter name seen
                    meta mark set 0x2a
                    meta mark 0x2a counter
                  }
                }
                """));
        Ruleset rs = SnapshotBuilder.build(m, 1);
        NftPacket p = tcp(A, 22, 2);
        input(rs, p);
        input(rs, tcp(A, 22, 2));
        assertThat(p.mark).isEqualTo(0x2a);
        assertThat(rs.chain(0).rules().get(2).exprs().get(2).toString()).isEqualTo("counter pkts 2 bytes 80");
        assertThat(rs.chain(0).rules().get(0).exprs().get(0)).isInstanceOfSatisfying(org.jnft.vm.ObjRef.class,
                o -> assertThat(o.object.state.toString()).isEqualTo("counter pkts 2 bytes 80"));
    }

    @Test
    void payloadSetKeepsTheIpChecksumValid() throws Exception {
        Ruleset rs = compile("""
                table ip f { chain in { type filter hook input priority 0; ip ttl set 7; ip dscp set cs1; }
                }
                """);
        byte[] frame = Frames.ipv4(6, A, B, 1, 2, 2, 0);
        NftPacket p = Frames.packet(frame, NftPacket.HOOK_INPUT, 2, "eth0");
        input(rs, p);
        assertThat(frame[14 + 8]).isEqualTo((byte) 7);
        assertThat(frame[14 + 1]).isEqualTo((byte) 0x20);
        assertThat(Frames.checksum(frame, 14, 20)).isZero();
    }

    @Test
    void concatenatedIntervalsMatchFieldByField() throws Exception {
        Ruleset rs = compile("""
                table ip f {
                  set s { type ipv4_addr . inet_service; flags interval; elements = { 10.0.0.0/8 . 1000-2000 } }
                  set many { type ipv4_addr; flags interval; elements = { 1.0.0.0/8, 3.0.0.0/8, 5.0.0.0/8, 10.1.0.0/16, 192.168.0.0/16 } }
                  chain in { type filter hook input priority 0; policy accept;
                    ip saddr . tcp dport @s drop
                    ip saddr @many tcp dport 7 drop
                  }
                }
                """);
        assertThat(input(rs, tcp(B, 1500, 2))).isEqualTo(Verdict.DROP);
        assertThat(input(rs, tcp(B, 2001, 2))).isEqualTo(Verdict.ACCEPT);
        assertThat(input(rs, tcp(C, 1500, 2))).isEqualTo(Verdict.ACCEPT);
        assertThat(input(rs, tcp(B, 7, 2))).isEqualTo(Verdict.DROP);
        assertThat(input(rs, tcp(A, 7, 2))).isEqualTo(Verdict.ACCEPT);
        assertThat(input(rs, tcp(C, 7, 2))).isEqualTo(Verdict.DROP);
    }

    @Test
    void dynamicSetElementsExpireOnTheEngineClock() throws Exception {
        Ruleset rs = compile("""
                table ip f {
                  set seen { type ipv4_addr; flags dynamic,timeout; timeout 10s; }
                  chain in { type filter hook input priority 0; policy accept;
                    tcp dport 1 add @seen { ip saddr }
                    ip saddr @seen drop
                  }
                }
                """);
        assertThat(input(rs, tcp(A, 80, 2))).isEqualTo(Verdict.ACCEPT);
        assertThat(input(rs, tcp(A, 1, 2))).isEqualTo(Verdict.DROP);
        assertThat(input(rs, tcp(A, 80, 2))).isEqualTo(Verdict.DROP);
        engine.now += 11_000_000_000L;
        assertThat(input(rs, tcp(A, 80, 2))).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void liveListingShowsCountersQuotasAndDynamicElements() throws Exception {
        Model m = Frontend.loadText(new Source("t.nft", """
                table ip f {
                  counter seen { }
                  set src { type ipv4_addr; flags dynamic; }
                  chain in { type filter hook input priority 0; policy accept;
                    counter name seen
                    add @src { ip saddr }
                    tcp dport 22 counter
                    quota 1 mbytes
                  }
                }
                """));
        LiveState live = SnapshotBuilder.compile(m, 1);
        interp.runHook(live.ruleset, NftPacket.NFPROTO_IPV4, NftPacket.HOOK_INPUT, tcp(A, 22, 2), engine);
        interp.runHook(live.ruleset, NftPacket.NFPROTO_IPV4, NftPacket.HOOK_INPUT, tcp(B, 80, 2), engine);
        String text = Listing.print(m, Interfaces.OFFLINE, live);
        assertThat(text).contains("counter seen {\n\t\tpackets 2 bytes 80\n\t}")
                .contains("elements = { 10.0.0.1, 10.1.2.3 }")
                .contains("tcp dport 22 counter packets 1 bytes 40")
                .contains("quota 1 mbytes used 80 bytes");
    }

    @Test
    void conntrackIsNeededOnlyWhereSomethingUsesIt() throws Exception {
        Ruleset plain = compile("table ip f { chain in { type filter hook input priority 0; tcp dport 22 accept; }\n}\n");
        Ruleset ct = compile("table ip6 f { chain in { type filter hook input priority 0; ct state new accept; }\n}\n");
        Ruleset nat = compile("table inet n { chain post { type nat hook postrouting priority 100; }\n}\n");
        assertThat(plain.usesConntrack(NftPacket.NFPROTO_IPV4)).isFalse();
        assertThat(ct.usesConntrack(NftPacket.NFPROTO_IPV6)).isTrue();
        assertThat(ct.usesConntrack(NftPacket.NFPROTO_IPV4)).isFalse();
        assertThat(nat.usesConntrack(NftPacket.NFPROTO_IPV4)).isTrue();
        assertThat(nat.usesConntrack(NftPacket.NFPROTO_IPV6)).isTrue();
    }

    @Test
    void interfaceNamesResolveInTheGivenNamespace() throws Exception {
        String text = "table ip f { chain in { type filter hook input priority 0; policy drop; iif eth0 accept; }\n}\n";
        Interfaces net = Interfaces.of(java.util.Map.of("lo", 1, "eth0", 2, "eth1", 3));
        Model m = Frontend.loadText(new Source("t.nft", text), net);
        assertThat(NetlinkDebug.print(m)).contains("[ cmp eq reg 1 0x00000002 ]");
        assertThat(Listing.print(m, net)).contains("iif \"eth0\" accept");
        assertThat(input(SnapshotBuilder.build(m, 1), tcp(A, 22, 2))).isEqualTo(Verdict.ACCEPT);
        NftException offline = org.assertj.core.api.Assertions.catchThrowableOfType(NftException.class,
                () -> Frontend.loadText(new Source("t.nft", text)));
        assertThat(offline.diags.get(0).message()).isEqualTo("Interface does not exist");
    }

    @Test
    void evaluationAllocatesNothing() throws Exception {
        Ruleset rs = compile("""
                table inet f {
                  set nets { type ipv4_addr; flags interval; elements = { 10.0.0.0/8 } }
                  chain in { type filter hook input priority 0; policy drop;
                    ct state established,related accept
                    iifname "eth0" ip saddr @nets tcp dport { 22, 80 } counter accept
                    limit rate 100/second accept
                  }
                }
                """);
        NftPacket p = tcp(A, 80, 2);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) input(rs, p);
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) input(rs, p);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated over 100000 packets").isLessThan(10_000);
    }
}
