package org.jnft.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reject and log end to end, through `jnft replay` and Linux: the frames each interface sent compared with
 * kernel-replay's (as KernelReplayComparisonTest does), and log.txt compared with the lines Linux 6.18 wrote for
 * the same scenario (read from dmesg with net.netfilter.nf_log_all_netns=1 once, when this test was written:
 * kernel-replay does not collect them). The replies' log lines carry the fields Linux randomises (the IPv4 id
 * of its ICMP errors, the IPv6 flow label of its ICMPv6 errors): compared with those masked.
 */
class RejectLogKernelTest {
    static final String RULES = """
            table inet t {
              chain c_pre {
                type filter hook prerouting priority 0; policy accept;
                log prefix "LRJ " flags all
                ip daddr 10.0.2.1 udp dport 3002 reject
              }
              chain c_fwd {
                type filter hook forward priority 0; policy accept;
                udp dport 1001 reject
                tcp dport 1005 reject with tcp reset
                log prefix "LRJFWD "
              }
              chain c_in {
                type filter hook input priority 0; policy accept;
                meta nfproto ipv4 udp dport 3001 reject with icmp type port-unreachable
                tcp dport 3005 reject with tcp reset
              }
              chain c_out {
                type filter hook output priority 0; policy accept;
                ip daddr 10.0.1.2 log prefix "LRJOUT "
                ip6 daddr 2001:db8:a::2 log prefix "LRJOUT "
              }
            }
            """;

    /** Received on lan, 10 ms apart. */
    static final String FRAMES = """
            020000000a01020000000a0208004500003000010000401145800a000102c63364079c4103e9001c5c816161616161616161616161616161616161616161
            020000000a01020000000a0208004500002c000240004006058e0a000102c6336407a02803ed000003e8000000006002faf0bffb0000020405b4
            020000000a01020000000a0286dd60000000001c114020010db8000a0000000000000000000220010db80100000000000000000000079c5403e9001c2b1c6262626262626262626262626262626262626262
            020000000a01020000000a0286dd600000000014064020010db8000a0000000000000000000220010db8010000000000000000000007a03c03ed000003e8000000005002faf0b05b0000
            020000000a01020000000a0208004500002600030000401164c20a0001020a0001019c5e0bb9001250bf63636363636363636363
            020000000a01020000000a0208004500002600040000401163c10a0001020a0002019c680bba00124aaf64646464646464646464
            020000000a01020000000a0286dd600000000014064020010db8000a0000000000000000000220010db8000a00000000000000000001a0470bbd000003e8000000005002faf0a97c0000
            020000000a01020000000a02080045000020000500004011458c0a000102c63364079c721b58000c480465656565
            """;

    /** What Linux logged ("|" marks the end of a line). */
    static final String LINES = """
            LRJ IN=lan OUT= MACSRC=02:00:00:00:0a:02 MACDST=02:00:00:00:0a:01 MACPROTO=0800 SRC=10.0.1.2 DST=198.51.100.7 LEN=48 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=UDP SPT=40001 DPT=1001 LEN=28 |
            LRJOUT IN= OUT=lan SRC=10.0.1.1 DST=10.0.1.2 LEN=76 TOS=0x00 PREC=0xC0 TTL=64 ID=46228 PROTO=ICMP TYPE=3 CODE=3 [SRC=10.0.1.2 DST=198.51.100.7 LEN=48 TOS=0x00 PREC=0x00 TTL=63 ID=1 PROTO=UDP SPT=40001 DPT=1001 LEN=28 ] |
            LRJ IN=lan OUT= MACSRC=02:00:00:00:0a:02 MACDST=02:00:00:00:0a:01 MACPROTO=0800 SRC=10.0.1.2 DST=198.51.100.7 LEN=44 TOS=0x00 PREC=0x00 TTL=64 ID=2 DF PROTO=TCP SPT=41000 DPT=1005 SEQ=1000 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0 OPT (020405B4) |
            LRJOUT IN= OUT=lan SRC=198.51.100.7 DST=10.0.1.2 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=0 DF PROTO=TCP SPT=1005 DPT=41000 WINDOW=0 RES=0x00 ACK RST URGP=0 |
            LRJ IN=lan OUT= MACSRC=02:00:00:00:0a:02 MACDST=02:00:00:00:0a:01 MACPROTO=86dd SRC=2001:0db8:000a:0000:0000:0000:0000:0002 DST=2001:0db8:0100:0000:0000:0000:0000:0007 LEN=68 TC=0 HOPLIMIT=64 FLOWLBL=0 PROTO=UDP SPT=40020 DPT=1001 LEN=28 |
            LRJOUT IN= OUT=lan SRC=2001:0db8:000a:0000:0000:0000:0000:0001 DST=2001:0db8:000a:0000:0000:0000:0000:0002 LEN=116 TC=0 HOPLIMIT=64 FLOWLBL=815866 PROTO=ICMPv6 TYPE=1 CODE=4 [SRC=2001:0db8:000a:0000:0000:0000:0000:0002 DST=2001:0db8:0100:0000:0000:0000:0000:0007 LEN=68 TC=0 HOPLIMIT=63 FLOWLBL=0 PROTO=UDP SPT=40020 DPT=1001 LEN=28 ] |
            LRJ IN=lan OUT= MACSRC=02:00:00:00:0a:02 MACDST=02:00:00:00:0a:01 MACPROTO=86dd SRC=2001:0db8:000a:0000:0000:0000:0000:0002 DST=2001:0db8:0100:0000:0000:0000:0000:0007 LEN=60 TC=0 HOPLIMIT=64 FLOWLBL=0 PROTO=TCP SPT=41020 DPT=1005 SEQ=1000 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0 |
            LRJOUT IN= OUT=lan SRC=2001:0db8:0100:0000:0000:0000:0000:0007 DST=2001:0db8:000a:0000:0000:0000:0000:0002 LEN=60 TC=0 HOPLIMIT=64 FLOWLBL=0 PROTO=TCP SPT=1005 DPT=41020 WINDOW=0 RES=0x00 ACK RST URGP=0 |
            LRJ IN=lan OUT= MACSRC=02:00:00:00:0a:02 MACDST=02:00:00:00:0a:01 MACPROTO=0800 SRC=10.0.1.2 DST=10.0.1.1 LEN=38 TOS=0x00 PREC=0x00 TTL=64 ID=3 PROTO=UDP SPT=40030 DPT=3001 LEN=18 |
            LRJOUT IN= OUT=lan SRC=10.0.1.1 DST=10.0.1.2 LEN=66 TOS=0x00 PREC=0xC0 TTL=64 ID=46236 PROTO=ICMP TYPE=3 CODE=3 [SRC=10.0.1.2 DST=10.0.1.1 LEN=38 TOS=0x00 PREC=0x00 TTL=64 ID=3 PROTO=UDP SPT=40030 DPT=3001 LEN=18 ] |
            LRJ IN=lan OUT= MACSRC=02:00:00:00:0a:02 MACDST=02:00:00:00:0a:01 MACPROTO=0800 SRC=10.0.1.2 DST=10.0.2.1 LEN=38 TOS=0x00 PREC=0x00 TTL=64 ID=4 PROTO=UDP SPT=40040 DPT=3002 LEN=18 |
            LRJOUT IN= OUT=lan SRC=10.0.1.1 DST=10.0.1.2 LEN=66 TOS=0x00 PREC=0xC0 TTL=64 ID=46238 PROTO=ICMP TYPE=3 CODE=3 [SRC=10.0.1.2 DST=10.0.2.1 LEN=38 TOS=0x00 PREC=0x00 TTL=64 ID=4 PROTO=UDP SPT=40040 DPT=3002 LEN=18 ] |
            LRJ IN=lan OUT= MACSRC=02:00:00:00:0a:02 MACDST=02:00:00:00:0a:01 MACPROTO=86dd SRC=2001:0db8:000a:0000:0000:0000:0000:0002 DST=2001:0db8:000a:0000:0000:0000:0000:0001 LEN=60 TC=0 HOPLIMIT=64 FLOWLBL=0 PROTO=TCP SPT=41031 DPT=3005 SEQ=1000 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0 |
            LRJOUT IN= OUT=lan SRC=2001:0db8:000a:0000:0000:0000:0000:0001 DST=2001:0db8:000a:0000:0000:0000:0000:0002 LEN=60 TC=0 HOPLIMIT=64 FLOWLBL=0 PROTO=TCP SPT=3005 DPT=41031 WINDOW=0 RES=0x00 ACK RST URGP=0 |
            LRJ IN=lan OUT= MACSRC=02:00:00:00:0a:02 MACDST=02:00:00:00:0a:01 MACPROTO=0800 SRC=10.0.1.2 DST=198.51.100.7 LEN=32 TOS=0x00 PREC=0x00 TTL=64 ID=5 PROTO=UDP SPT=40050 DPT=7000 LEN=12 |
            LRJFWD IN=lan OUT=wan MAC=02:00:00:00:0a:01:02:00:00:00:0a:02:08:00 SRC=10.0.1.2 DST=198.51.100.7 LEN=32 TOS=0x00 PREC=0x00 TTL=63 ID=5 PROTO=UDP SPT=40050 DPT=7000 LEN=12 |
            """;

    @TempDir
    Path tmp;

    @Test
    void rejectRepliesAndLogLinesMatchLinux() throws Exception {
        Scenario s = new Scenario(tmp.resolve("in"), ForwardingScenarios.NET);
        s.ruleset = RULES;
        for (String hex : FRAMES.strip().split("\\n")) {
            s.in("lan", HexFormat.of().parseHex(hex.strip()));
        }
        List<String> args = s.write();
        List<String> sets = List.of("--set", "net.ipv4.icmp_ratelimit=0", "--set", "net.ipv6.icmp.ratelimit=0");
        Path ours = tmp.resolve("jnft");
        List<String> jargs = new ArrayList<>(List.of("replay"));
        jargs.addAll(args);
        jargs.addAll(sets);
        jargs.addAll(List.of("--out", ours.toString()));
        assertThat(Main.execute(jargs.toArray(String[]::new))).isZero();

        List<String> expected = new ArrayList<>();
        for (String l : LINES.strip().split("\\n")) {
            l = l.strip();
            expected.add(mask(l.substring(0, l.length() - 1)));
        }
        List<String> mine = Files.readAllLines(ours.resolve("log.txt")).stream().map(RejectLogKernelTest::mask)
                .toList();
        assertThat(mine).containsExactlyElementsOf(expected);

        Path kr = Tools.kernelReplay();
        Tools.require(Files.isExecutable(kr), "kernel-replay at " + kr);
        Tools.require(Tools.isRoot(), "root (kernel-replay needs network namespaces)");
        Path linux = tmp.resolve("linux");
        List<String> kargs = new ArrayList<>(List.of(kr.toString()));
        kargs.addAll(args);
        kargs.addAll(sets);
        kargs.addAll(List.of("--out", linux.toString()));
        Tools.Result r = Tools.run(kargs, 300);
        assertThat(r.exit()).as("kernel-replay: " + r.err()).isZero();
        for (String iface : List.of("lan", "wan")) {
            assertThat(org.jnft.testing.KernelFrames.normalise(Scenario.frames(ours.resolve(iface + ".pcap"))))
                    .as("frames sent on " + iface + " (jnft vs Linux)")
                    .containsExactlyElementsOf(
                            org.jnft.testing.KernelFrames.normalise(Scenario.frames(linux.resolve(iface + ".pcap"))));
        }
    }

    /** The router's own packets: their IPv4 id and IPv6 flow label are Linux's random choices. */
    static String mask(String line) {
        if (!line.startsWith("LRJOUT ")) {
            return line;
        }
        return line.replaceFirst(" ID=\\d+ ", " ID=* ").replaceFirst(" FLOWLBL=\\d+ ", " FLOWLBL=* ");
    }
}
