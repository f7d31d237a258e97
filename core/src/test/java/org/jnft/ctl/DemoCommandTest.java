package org.jnft.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jnft demo} (issue 7, item 7): the seed's ruleset over generated traffic. Connections offloaded and
 * listed [OFFLOAD], the forward chain's counter standing still while the bulk transfers flow, the flows gone
 * after 30 idle seconds with their connections back in conntrack, and the two paths' packets per second; its
 * own replay reproduces its final files. (TsharkCheckTest checks the frames it sent.)
 */
class DemoCommandTest {
    @TempDir
    Path tmp;

    @Test
    void theDemoShowsTheFlowtableAtWork() throws Exception {
        Path dir = tmp.resolve("demo");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int rc;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            rc = Main.execute("demo", "--out", dir.toString());
        } finally {
            System.setOut(old);
        }
        String stdout = buf.toString(StandardCharsets.UTF_8);
        assertThat(rc).as(stdout).isZero();
        assertThat(stdout.strip()).endsWith(dir.toString());

        // while the bulk transfers flowed: four TCP connections and two UDP ones offloaded, the counter still
        List<String> offloaded = Files.readAllLines(dir.resolve("offloaded/conntrack.txt"));
        assertThat(offloaded.stream().filter(l -> l.contains("[OFFLOAD]"))).hasSize(6)
                .allMatch(l -> l.contains(" use=2") && l.contains(" dst=203.0.113.1 ") && !l.contains("ESTABLISHED"));
        List<String> flows = Files.readAllLines(dir.resolve("offloaded/flowtables.txt"));
        assertThat(flows.getFirst()).startsWith("flowtable inet filter ft hits=").endsWith(" flows=6");
        assertThat(flows.subList(1, flows.size())).hasSize(6).allMatch(l -> l.contains(" [snat]"));
        Matcher m = Pattern.compile("stood at (\\d+) packets before the bulk transfers,\\s+and at (\\d+) packets after "
                + "them, while (\\d+) frames went through the flowtable").matcher(stdout);
        assertThat(m.find()).as(stdout).isTrue();
        assertThat(m.group(2)).as("the forward chain's counter while the bulk flows").isEqualTo(m.group(1));
        assertThat(Long.parseLong(m.group(3))).as("bulk frames through the fast path")
                .isEqualTo(DemoTraffic.BULK_CONNECTIONS * 2L * DemoTraffic.BULK_SEGMENTS + 2L * DemoTraffic.BULK_DATAGRAMS);
        assertThat(Files.readString(dir.resolve("offloaded/ruleset.nft")))
                .contains("ct state established,related counter packets " + m.group(1) + " ");

        // 42 seconds later: no flows; the bulk connections back in conntrack with a state and a timeout
        assertThat(Files.readAllLines(dir.resolve("flowtables.txt"))).singleElement().asString()
                .startsWith("flowtable inet filter ft ").endsWith(" flows=0");
        List<String> ct = Files.readAllLines(dir.resolve("conntrack.txt"));
        assertThat(ct).noneMatch(l -> l.contains("[OFFLOAD]"));
        assertThat(ct.stream().filter(l -> l.startsWith("tcp ")))
                .hasSize(DemoTraffic.BULK_CONNECTIONS)
                .allMatch(l -> l.matches("tcp {6}6 \\d+ ESTABLISHED .* \\[ASSURED] mark=0 use=1"))
                .noneMatch(l -> l.contains("sport=41000")); // closed with FIN: CLOSE for 10 s, then gone
        assertThat(ct.stream().filter(l -> l.startsWith("udp "))).hasSize(2)
                .allMatch(l -> l.matches("udp {6}17 \\d+ src=.* use=1"));
        assertThat(Files.readString(dir.resolve("ruleset.nft"))).contains("flow add @ft")
                .contains("ct state established,related counter packets " + m.group(1) + " ");

        // the two paths timed (the figures themselves depend on the machine)
        Map<String, Double> speed = Files.readAllLines(dir.resolve("speed.txt")).stream()
                .map(l -> l.split("=")).collect(Collectors.toMap(a -> a[0], a -> Double.parseDouble(a[1])));
        assertThat(speed).containsOnlyKeys("fast_path_pps", "classic_path_pps", "ratio");
        assertThat(speed.values()).allMatch(v -> v > 0);
        assertThat(stdout).contains("fast path ").contains("classic path ").contains("times as fast");

        // the command it prints reproduces the final state
        Path again = tmp.resolve("again");
        assertThat(Main.execute("replay", "--net", dir.resolve("demo.net").toString(), "--ruleset",
                dir.resolve("demo.nft").toString(), "--in", "lan=" + dir.resolve("lan-in.pcap"), "--in",
                "wan=" + dir.resolve("wan-in.pcap"), "--out", again.toString())).isZero();
        for (String file : List.of("conntrack.txt", "flowtables.txt", "ruleset.nft", "stats.txt", "log.txt")) {
            assertThat(again.resolve(file)).as(file).hasSameTextualContentAs(dir.resolve(file));
        }
    }
}
