package org.jnft.ctl;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.jnft.io.PcapReader;
import org.jnft.packet.IcmpView;
import org.jnft.packet.Icmpv6View;
import org.jnft.packet.IpProto;
import org.jnft.packet.PacketInfo;
import org.jnft.packet.PacketParser;
import org.jnft.pipeline.DropReason;
import org.jnft.pipeline.Stats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jnft demo}: a bundled network and traffic, replayed, then explained. Needs neither root nor network. */
@Command(name = "demo", description = "Replay a bundled network and traffic and explain what the router did.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the pcaps and files "
            + "(default: a new directory under $TMPDIR).")
    String out;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Override
    public Integer call() throws Exception {
        Path dir;
        if (out != null) {
            dir = Path.of(out);
            Files.createDirectories(dir);
        } else {
            String tmp = System.getenv("TMPDIR");
            dir = Files.createTempDirectory(Path.of(tmp == null || tmp.isEmpty() ? "/tmp" : tmp), "jnft-demo-");
        }
        PrintStream o = System.out;
        Path net = dir.resolve("demo.net");
        Files.writeString(net, DemoTraffic.NET);
        Path rules = dir.resolve("demo.nft");
        Files.writeString(rules, DemoTraffic.RULES);
        int[] counts = DemoTraffic.write(dir.resolve("lan-in.pcap"), dir.resolve("wan-in.pcap"));

        o.println("jnft demo: a router between a LAN and an uplink, run offline on pcap files.");
        o.println();
        o.println("The network (" + net + "):");
        o.println("  lan  192.168.1.1/24 2001:db8:1::1/64   the LAN host 192.168.1.10 / 2001:db8:1::10");
        o.println("  wan  203.0.113.1/24 2001:db8:2::1/64   MTU 1400, default routes via 203.0.113.254 / 2001:db8:2::fe");
        o.println();
        o.println("The traffic: " + counts[0] + " frames from the LAN (lan-in.pcap) and " + counts[1]
                + " from the uplink (wan-in.pcap):");
        o.println("  a ping to the router; a TCP connection 192.168.1.10:41000 -> 198.51.100.20:443 (handshake,");
        o.println("  request, response, FIN both ways); a DNS query and answer; an IPv6 ping to 2001:db8:100::20 and");
        o.println("  its reply; a traceroute probe with TTL 1; 1500 bytes with DF towards the 1400-byte uplink; and a");
        o.println("  frame sent to another host's MAC address; and a connection attempt from the Internet.");
        o.println();
        o.println("The policy (" + rules + "): a stateful forward filter — the LAN opens connections, the uplink");
        o.println("only answers; anything else is logged and dropped.");
        o.println();

        Replay.Options opts = new Replay.Options(net, net.toString(), rules, rules.toString(), List.of("lan", "wan"),
                List.of(dir.resolve("lan-in.pcap").toString(), dir.resolve("wan-in.pcap").toString()), dir, List.of());
        Replay.Result r = Replay.run(opts);
        Stats s = r.router().stats();

        o.println("What the router sent:");
        for (String iface : List.of("lan", "wan")) {
            Path p = dir.resolve(iface + ".pcap");
            Map<String, Integer> kinds = Files.exists(p) ? classify(p) : Map.of();
            o.println("  on " + iface + ": " + (kinds.isEmpty() ? "nothing" : describe(kinds)));
        }
        o.println("  Every forwarded packet left with its TTL / hop limit one lower, the router's MAC as source and the");
        o.println("  next hop's MAC as destination; checksums were updated incrementally.");
        o.println();
        o.println("What the router dropped, and why (Linux's drop reasons):");
        boolean any = false;
        for (int i = 0; i < DropReason.count(); i++) {
            DropReason reason = DropReason.of(i);
            if (s.drops(reason) > 0) {
                o.println("  " + s.drops(reason) + " x " + reason.name() + "  " + explain(reason));
                any = true;
            }
        }
        if (!any) {
            o.println("  nothing");
        }
        o.println();
        o.println("The ruleset at the end, with its counters (ruleset.nft, as `nft list ruleset` prints it):");
        for (String line : Files.readAllLines(dir.resolve("ruleset.nft"))) {
            o.println("  " + line.replace("\t", "    "));
        }
        o.println();
        o.println("Connection tracking at the end (conntrack.txt, as `conntrack -L` prints it):");
        for (String line : Files.readAllLines(dir.resolve("conntrack.txt"))) {
            o.println("  " + line);
        }
        o.println();
        o.println("Log lines (log.txt, as the kernel's nf_log writes them):");
        for (String line : Files.readAllLines(dir.resolve("log.txt"))) {
            o.println("  " + line);
        }
        o.println();
        o.println("Counters per interface (stats.txt):");
        for (String line : Files.readAllLines(dir.resolve("stats.txt"))) {
            if (line.startsWith("iface ")) {
                o.println("  " + line);
            }
        }
        o.println();
        o.println("Files are in " + dir + ":");
        o.println("  lan-in.pcap, wan-in.pcap   the frames the router received");
        o.println("  lan.pcap, wan.pcap         the frames it sent; open them in Wireshark, or: tshark -r " + dir.resolve("lan.pcap"));
        o.println("  stats.txt, conntrack.txt, ruleset.nft, log.txt   counters, connections, the ruleset, log lines");
        o.println("  demo.net, demo.nft         the network and the policy");
        o.println("Run it yourself: ./jnft replay --net " + net + " --ruleset " + rules + " --in lan=" + dir.resolve("lan-in.pcap")
                + " --in wan=" + dir.resolve("wan-in.pcap") + " --out DIR");
        o.println(dir);
        return 0;
    }

    private static String explain(DropReason reason) {
        return switch (reason) {
            case OTHERHOST -> "(the frame was addressed to another host's MAC)";
            case IP_INHDR -> "(TTL ran out: the router answered ICMP time exceeded)";
            case PKT_TOO_BIG -> "(too big for the uplink with DF set: ICMP fragmentation needed sent back)";
            case IP_INNOROUTES -> "(no route: ICMP unreachable sent back)";
            case NETFILTER_DROP -> "(the ruleset dropped it)";
            default -> "";
        };
    }

    private static String describe(Map<String, Integer> kinds) {
        StringBuilder sb = new StringBuilder();
        kinds.forEach((k, n) -> sb.append(sb.isEmpty() ? "" : ", ").append(n).append(' ').append(k));
        return sb.toString();
    }

    /** Counts the frames of a pcap by kind, reading them back with the packet layer. */
    static Map<String, Integer> classify(Path pcap) throws IOException {
        Map<String, Integer> kinds = new TreeMap<>();
        PacketInfo pi = new PacketInfo();
        IcmpView icmp = new IcmpView();
        Icmpv6View icmp6 = new Icmpv6View();
        try (PcapReader r = PcapReader.open(pcap, pcap.toString())) {
            while (r.next()) {
                MemorySegment f = r.frame();
                PacketParser.parse(f, 0, r.capturedLength(), pi);
                String kind;
                if (pi.l4Proto == IpProto.TCP) {
                    kind = "TCP segments";
                } else if (pi.l4Proto == IpProto.UDP) {
                    kind = "UDP datagrams";
                } else if (pi.l4Proto == IpProto.ICMP) {
                    icmp.wrap(f, pi.l4Offset);
                    kind = switch (icmp.type()) {
                        case IcmpView.ECHO_REPLY -> "ICMP echo replies";
                        case IcmpView.TIME_EXCEEDED -> "ICMP time exceeded";
                        case IcmpView.DEST_UNREACH -> icmp.code() == 4 ? "ICMP fragmentation needed"
                                : "ICMP destination unreachable";
                        default -> "other ICMP messages";
                    };
                } else if (pi.l4Proto == IpProto.ICMPV6) {
                    icmp6.wrap(f, pi.l4Offset);
                    kind = icmp6.type() == Icmpv6View.ECHO_REPLY ? "ICMPv6 echo replies"
                            : icmp6.type() == Icmpv6View.ECHO_REQUEST ? "ICMPv6 echo requests" : "other ICMPv6 messages";
                } else {
                    kind = "other frames";
                }
                kinds.merge(kind, 1, Integer::sum);
            }
        }
        return kinds;
    }
}
