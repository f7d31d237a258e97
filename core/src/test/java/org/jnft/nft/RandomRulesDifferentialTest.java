package org.jnft.nft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property test against nft: rules assembled at random (seeded java.util.Random, the seed in the message)
 * from matches and statements routers use, in every family; jnft must print what nft prints, or fail
 * with nft's first error.
 */
class RandomRulesDifferentialTest {
    static final List<String> MATCHES = List.of(
            "ip saddr 10.0.0.0/8", "ip daddr != 192.168.1.1", "ip saddr { 10.0.0.1, 10.0.0.2 }", "ip protocol udp",
            "ip6 saddr fe80::/10", "ip6 daddr ::1", "ip6 nexthdr tcp", "tcp dport 22", "tcp dport { 80, 443 }",
            "tcp sport 1024-65535", "udp dport 53", "udp sport != 67", "th dport 8080", "tcp flags syn",
            "tcp flags syn / fin,syn,rst,ack", "tcp flags & (syn|ack) == syn|ack", "icmp type echo-request",
            "icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert }", "ct state established,related",
            "ct state new", "ct status dnat", "ct mark 0x10", "ct direction reply", "meta mark & 0xff == 0x2",
            "meta l4proto { tcp, udp }", "meta l4proto icmp", "iifname \"eth0\"", "oifname { \"wan\", \"ppp0\" }",
            "iif lo", "meta pkttype broadcast", "meta length > 1400", "ip ttl 1", "ip dscp cs1", "ip6 hoplimit 255",
            "ether saddr 00:11:22:33:44:55", "vlan id 100", "meta nfproto ipv4", "ip saddr . tcp dport { 10.0.0.1 . 22 }",
            "fib daddr type local", "ct original ip saddr 10.0.0.1", "tcp option maxseg size 1400-1500",
            "ip frag-off & 0x1fff != 0", "udp length < 100");
    static final List<String> STATEMENTS = List.of(
            "counter", "accept", "drop", "jump other", "goto other", "return", "log prefix \"x: \"",
            "log level info", "limit rate 10/second", "limit rate over 1 mbytes/second", "quota 10 mbytes",
            "meta mark set 0x1", "ct mark set meta mark", "ip dscp set cs2", "ip ttl set 64", "notrack",
            "reject", "reject with tcp reset", "tcp option maxseg size set rt mtu", "counter name c1",
            "meta mark set ip saddr map { 10.0.0.1 : 0x5 }", "tcp dport vmap { 22 : accept, 23 : drop }");

    static final List<String> TERMINALS = List.of("accept", "drop", "jump other", "goto other", "return", "reject");

    /** A rule likely to be valid in {@code family}: one match, one non-terminal statement, a verdict. */
    static String validRule(Random r, String family) {
        String m;
        do {
            m = MATCHES.get(r.nextInt(MATCHES.size()));
        } while ((family.equals("ip") && (m.startsWith("ip6") || m.startsWith("icmpv6")))
                || (family.equals("ip6") && (m.startsWith("ip ") || m.startsWith("icmp ") || m.contains("ip saddr")
                || m.contains("nfproto") || m.contains("ct original ip")))
                || (!family.equals("inet") && m.contains("nfproto")));
        String st;
        do {
            st = STATEMENTS.get(r.nextInt(STATEMENTS.size()));
        } while (TERMINALS.stream().anyMatch(st::startsWith) || (family.equals("ip6") && st.startsWith("ip "))
                || (family.equals("ip6") && st.contains("ip saddr")) || st.startsWith("tcp dport vmap")
                || st.startsWith("reject"));
        return m + " " + st + " " + TERMINALS.get(r.nextInt(TERMINALS.size() - 1));
    }

    static final List<String> NAT = List.of("dnat to 10.0.0.1", "dnat to 10.0.0.1:8080", "snat to 192.0.2.1",
            "snat to 192.0.2.1-192.0.2.9", "masquerade", "masquerade random", "redirect to :3128", "masquerade to :1024-2048",
            "dnat to tcp dport map { 80 : 10.0.0.2, 443 : 10.0.0.3 }", "snat to ip saddr map @pool", "dnat ip to 10.0.0.1",
            "dnat ip6 to [fd00::1]:80", "redirect", "snat ip to 192.0.2.0/28", "dnat to 10.0.0.1-10.0.0.3:80-90 persistent");

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void randomNatRulesetsMatchNft(long seed, @TempDir Path dir) throws IOException {
        NftOracle.require();
        Random r = new Random(seed * 7919);
        String family = List.of("ip", "ip6", "inet", "inet").get((int) (seed % 4));
        StringBuilder text = new StringBuilder("table " + family + " n {\n");
        if (!family.equals("ip6")) {
            text.append("\tmap pool { type ipv4_addr : ipv4_addr; elements = { 10.0.0.1 : 192.0.2.1 } }\n");
        }
        text.append("\tchain pre {\n\t\ttype nat hook ").append(seed % 2 == 0 ? "prerouting priority dstnat" : "postrouting priority srcnat")
                .append("; policy accept;\n");
        for (int i = 0; i < 30; i++) {
            StringBuilder rule = new StringBuilder();
            if (r.nextBoolean()) rule.append(MATCHES.get(r.nextInt(MATCHES.size()))).append(' ');
            rule.append(NAT.get(r.nextInt(NAT.size())));
            text.append("\t\t").append(rule).append('\n');
        }
        text.append("\t}\n}\n");
        Path f = dir.resolve("nat-" + seed + ".nft");
        Files.writeString(f, text);
        NftOracle.Result nft = NftOracle.check(f);
        DifferentialTest.Run ours = DifferentialTest.jnft(f);
        String ctx = "seed " + seed + ", ruleset:\n" + text;
        boolean kernelOnly = nft.stderr().lines().findFirst().orElse("").contains("Could not process rule");
        if (nft.exit() != 0 && !kernelOnly) {
            assertThat(DifferentialTest.firstError(ours.stderr())).as(ctx).isEqualTo(DifferentialTest.firstError(nft.stderr()));
            return;
        }
        DebugOutput want = DebugOutput.parse(nft.stdout()), got = DebugOutput.parse(ours.stdout());
        assertThat(got.ruleBlocks()).as(ctx).containsExactlyElementsOf(want.ruleBlocks());
        assertThat(got.otherLines()).as(ctx).isEqualTo(want.otherLines());
        if (nft.exit() == 0) {
            // The listing too, when this kernel takes the ruleset.
            NftOracle.Result listed = NftOracle.run(List.of("unshare", "-n", "sh", "-c",
                    NftOracle.binary() + " -f \"$1\" && " + NftOracle.binary() + " list ruleset", "sh", f.toString()));
            if (listed.exit() == 0) {
                try {
                    assertThat(Listing.print(Frontend.load(f.toString()))).as(ctx).isEqualTo(listed.stdout());
                } catch (NftException e) {
                    throw new AssertionError(e.format());
                }
            }
        }
    }

    static String rule(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(3);
        for (int i = 0; i < n; i++) sb.append(MATCHES.get(r.nextInt(MATCHES.size()))).append(' ');
        int k = 1 + r.nextInt(2);
        for (int i = 0; i < k; i++) sb.append(STATEMENTS.get(r.nextInt(STATEMENTS.size()))).append(' ');
        return sb.toString().strip();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void randomRulesetsMatchNft(long seed, @TempDir Path dir) throws IOException {
        NftOracle.require();
        Random r = new Random(seed);
        String family = List.of("ip", "ip6", "inet", "netdev").get((int) (seed % 4));
        StringBuilder text = new StringBuilder("table " + family + " t {\n\tcounter c1 { }\n\tchain other {\n\t\treturn\n\t}\n");
        text.append("\tchain c {\n\t\ttype filter hook ").append(family.equals("netdev") ? "ingress device lo" : "forward")
                .append(" priority 0; policy accept;\n");
        for (int i = 0; i < 40; i++) {
            text.append("\t\t").append(seed > 8 ? validRule(r, family) : rule(r)).append('\n');
        }
        text.append("\t}\n}\n");
        Path f = dir.resolve("random-" + seed + ".nft");
        Files.writeString(f, text);
        NftOracle.Result nft = NftOracle.check(f);
        DifferentialTest.Run ours = DifferentialTest.jnft(f);
        String ctx = "seed " + seed + ", ruleset:\n" + text;
        boolean kernelOnly = nft.stderr().lines().findFirst().orElse("").contains("Could not process rule");
        if (nft.exit() != 0 && !kernelOnly) {
            assertThat(DifferentialTest.firstError(ours.stderr())).as(ctx).isEqualTo(DifferentialTest.firstError(nft.stderr()));
            return;
        }
        if (!kernelOnly) assertThat(ours.stderr()).as(ctx).isEmpty();
        DebugOutput want = DebugOutput.parse(nft.stdout()), got = DebugOutput.parse(ours.stdout());
        assertThat(got.ruleBlocks()).as(ctx).containsExactlyElementsOf(want.ruleBlocks());
        assertThat(got.otherLines()).as(ctx).isEqualTo(want.otherLines());
        if (nft.exit() == 0) assertListingMatches(f, ctx);
    }

    /** The listing too, when this kernel takes the ruleset. */
    static void assertListingMatches(Path f, String ctx) throws IOException {
        NftOracle.Result listed = NftOracle.run(List.of("unshare", "-n", "sh", "-c",
                NftOracle.binary() + " -f \"$1\" && " + NftOracle.binary() + " list ruleset", "sh", f.toString()));
        if (listed.exit() != 0) return;
        try {
            assertThat(Listing.print(Frontend.load(f.toString()))).as(ctx).isEqualTo(listed.stdout());
        } catch (NftException e) {
            throw new AssertionError(e.format());
        }
    }
}
