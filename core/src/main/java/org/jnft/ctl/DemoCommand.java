package org.jnft.ctl;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jnft.io.PcapReader;
import org.jnft.nft.Frontend;
import org.jnft.nft.Listing;
import org.jnft.nft.LiveState;
import org.jnft.nft.Model;
import org.jnft.nft.SnapshotBuilder;
import org.jnft.packet.IcmpView;
import org.jnft.packet.Icmpv6View;
import org.jnft.packet.IpProto;
import org.jnft.packet.PacketBuffer;
import org.jnft.packet.PacketInfo;
import org.jnft.packet.PacketParser;
import org.jnft.pipeline.DropReason;
import org.jnft.pipeline.Router;
import org.jnft.pipeline.Stats;
import org.jnft.pipeline.Sysctl;
import org.jnft.route.NetConfig;
import org.jnft.route.NetFile;
import org.jnft.vm.RulesetHolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jnft demo}: the seed's flowtable at work on a bundled network and generated traffic, replayed on a
 * virtual clock and explained, then the fast path and the classic path timed on this machine. Needs neither
 * root nor network.
 */
@Command(name = "demo", description = "Replay a bundled network and traffic through a router with a flowtable, "
        + "explain what it did, and time its fast path against its classic path.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the pcaps and files "
            + "(default: a new directory under $TMPDIR).")
    String out;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    /** The forward chain's `ct state established,related counter` rule, as the listing prints it. */
    private static final Pattern ESTABLISHED_COUNTER =
            Pattern.compile("ct state established,related counter packets (\\d+) bytes (\\d+) accept");

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
        Path lanIn = dir.resolve("lan-in.pcap");
        Path wanIn = dir.resolve("wan-in.pcap");
        int[] counts = DemoTraffic.write(lanIn, wanIn);

        o.println("jnft demo: a home router with a flowtable between a LAN and an uplink, run offline on pcap files");
        o.println("with a virtual clock.");
        o.println();
        o.println("The network (" + net + "):");
        o.println("  lan  192.168.1.1/24 2001:db8:1::1/64   the LAN host 192.168.1.10 / 2001:db8:1::10");
        o.println("  wan  203.0.113.1/24 2001:db8:2::1/64   MTU 1400, default routes via 203.0.113.254 / 2001:db8:2::fe");
        o.println();
        o.println("The policy (" + rules + "), the seed's example: a flowtable `ft` on lan and wan; in the");
        o.println("forward chain `meta l4proto { tcp, udp } flow add @ft` offloads a TCP connection once it is");
        o.println("established and assured, a UDP one once it is confirmed; then a stateful filter (the LAN opens");
        o.println("connections, the uplink only answers, anything else is logged and dropped); masquerade out of wan.");
        o.println("An offloaded connection's packets go from ingress straight to egress: one lookup, NAT, TTL - 1,");
        o.println("new MACs. No chain sees them; conntrack lists the connection [OFFLOAD].");
        o.println();
        o.println("The traffic: " + counts[0] + " frames from the LAN (lan-in.pcap) and " + counts[1]
                + " from the uplink (wan-in.pcap):");
        o.println("  in the first second, a ping to the router; a short HTTPS connection 192.168.1.10:41000 ->");
        o.println("  198.51.100.20:443 (handshake, request, response, FIN both ways); a DNS query and answer; an IPv6");
        o.println("  ping; a traceroute probe with TTL 1; 1500 bytes with DF towards the 1400-byte uplink; a frame for");
        o.println("  another host's MAC; a connection attempt from the Internet;");
        o.println("  from 1 s to 2.5 s, bulk: three HTTPS downloads (" + DemoTraffic.BULK_SEGMENTS + " segments of 1300 bytes"
                + " each, ACKed) and a QUIC-like UDP stream;");
        o.println("  then nothing for 40 seconds but one last ping to the router at " + DemoTraffic.END_MS / 1000 + " s.");
        o.println();

        // the same frames, paused twice: before and after the bulk transfers
        Narration n = narrate(net, rules, lanIn, wanIn, dir.resolve("offloaded"));
        o.println("1. Offload at work (the replay paused at 2.5 s; files in " + dir.resolve("offloaded") + "):");
        o.println("  the forward chain's `ct state established,related counter` stood at " + n.counterBefore
                + " packets before the bulk transfers,");
        o.println("  and at " + n.counterAfter + " packets after them, while " + (n.hitsAfter - n.hitsBefore)
                + " frames went through the flowtable (" + n.hitsAfter + " fast-path hits in all):");
        o.println("  only the handshakes took the classic path.");
        o.println("  conntrack -L at that moment (offloaded/conntrack.txt):");
        for (String line : Files.readAllLines(dir.resolve("offloaded").resolve("conntrack.txt"))) {
            o.println("    " + line);
        }
        o.println("  the flowtable (offloaded/flowtables.txt; ORIGINAL then REPLY tuple, expiry in seconds):");
        for (String line : Files.readAllLines(dir.resolve("offloaded").resolve("flowtables.txt"))) {
            o.println("    " + line);
        }
        o.println();

        Replay.Options opts = new Replay.Options(net, net.toString(), rules, rules.toString(), List.of("lan", "wan"),
                List.of(lanIn.toString(), wanIn.toString()), dir, List.of());
        Replay.Result r = Replay.run(opts);
        Stats s = r.router().stats();

        o.println("2. After " + (DemoTraffic.END_MS - DemoTraffic.BULK_END_MS) / 1000 + " seconds of silence (the end of"
                + " the replay; files in " + dir + "):");
        o.println("  the flows expired 30 s after their last packet (net.netfilter.nf_flowtable_tcp_timeout and");
        o.println("  _udp_timeout); the flowtable (flowtables.txt):");
        for (String line : Files.readAllLines(dir.resolve("flowtables.txt"))) {
            o.println("    " + line);
        }
        o.println("  and conntrack has the connections back, no longer [OFFLOAD], with a state and a timeout again");
        o.println("  (conntrack.txt): each entry is given its state's timeout minus the 30 s its flow sat idle where");
        o.println("  that is shorter than what it has left (the TCP connections keep the day that offloading gave");
        o.println("  them, the UDP streams drop to 120 - 30 s); the connection closed with FIN went to CLOSE for 10 s");
        o.println("  and is gone:");
        for (String line : Files.readAllLines(dir.resolve("conntrack.txt"))) {
            o.println("    " + line);
        }
        o.println();
        o.println("What the router sent, in all:");
        for (String iface : List.of("lan", "wan")) {
            Path p = dir.resolve(iface + ".pcap");
            Map<String, Integer> kinds = Files.exists(p) ? classify(p) : Map.of();
            o.println("  on " + iface + ": " + (kinds.isEmpty() ? "nothing" : describe(kinds)));
        }
        o.println("  Every forwarded packet left with its TTL / hop limit one lower, the router's MAC as source and the");
        o.println("  next hop's MAC as destination, and (to the uplink) the source masqueraded to 203.0.113.1;");
        o.println("  checksums were updated incrementally, on the fast path as on the classic one.");
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

        o.println("3. Fast path against classic path, measured now, in this process, on one core:");
        o.println("  " + DemoTraffic.Speed.CONNECTIONS + " established TCP connections through the router (masqueraded),"
                + " 64-byte frames of both");
        o.println("  directions in batches of 32; the classic path runs the same policy without the flowtable");
        o.println("  (conntrack, the forward chain, NAT for every packet). The best of several short rounds:");
        DemoTraffic.Speed.Result speed = DemoTraffic.Speed.measure();
        o.printf(Locale.ROOT, "  fast path     %6.2f million packets/s (%.0f ns a packet)%n", speed.fastPps() / 1e6,
                1e9 / speed.fastPps());
        o.printf(Locale.ROOT, "  classic path  %6.2f million packets/s (%.0f ns a packet)%n", speed.classicPps() / 1e6,
                1e9 / speed.classicPps());
        o.printf(Locale.ROOT, "  the fast path is %.1f times as fast (docs/BENCHMARKS.md has the JMH figures)%n",
                speed.fastPps() / speed.classicPps());
        Files.writeString(dir.resolve("speed.txt"), String.format(Locale.ROOT,
                "fast_path_pps=%.0f%nclassic_path_pps=%.0f%nratio=%.2f%n", speed.fastPps(), speed.classicPps(),
                speed.fastPps() / speed.classicPps()));
        o.println();
        o.println("Files are in " + dir + ":");
        o.println("  lan-in.pcap, wan-in.pcap   the frames the router received");
        o.println("  lan.pcap, wan.pcap         the frames it sent; open them in Wireshark, or: tshark -r " + dir.resolve("lan.pcap"));
        o.println("  stats.txt, conntrack.txt, flowtables.txt, ruleset.nft, log.txt   the state at the end");
        o.println("  offloaded/                 conntrack.txt, flowtables.txt, ruleset.nft at 2.5 s, flows offloaded");
        o.println("  speed.txt                  the packets per second measured above");
        o.println("  demo.net, demo.nft         the network and the policy");
        o.println("Run it yourself: ./jnft replay --net " + net + " --ruleset " + rules + " --in lan=" + lanIn
                + " --in wan=" + wanIn + " --out DIR");
        o.println(dir);
        return 0;
    }

    /** What the narration saw: the forward chain's counter and the flowtable's hits around the bulk transfers. */
    record Narration(long counterBefore, long counterAfter, long hitsBefore, long hitsAfter) {}

    /**
     * Runs the demo's frames through a router of its own, as replay does (virtual time, timers first), pausing
     * just before the bulk transfers and just after them; writes conntrack.txt, flowtables.txt and ruleset.nft
     * as they stand after them into {@code snapshot}.
     */
    static Narration narrate(Path netFile, Path rulesFile, Path lanIn, Path wanIn, Path snapshot) throws Exception {
        NetConfig net = NetFile.parse(netFile, netFile.toString());
        var interfaces = Replay.interfaces(net.devices());
        Model model = Frontend.load(rulesFile.toString(), interfaces);
        LiveState live = SnapshotBuilder.compile(model, 1);
        RulesetHolder holder = new RulesetHolder();
        holder.swap(live.ruleset);
        Router router = new Router(net, new Sysctl(), (dev, frame, off, len, now) -> { }, holder);
        router.engine().logSink = (prefix, level, flags, p) -> { };
        List<ReplayInput.Frame> frames = ReplayInput.load(List.of("lan", "wan"),
                List.of(lanIn.toString(), wanIn.toString()));
        long t0 = frames.getFirst().timestampNanos();
        long before = t0 + (DemoTraffic.BULK_START_MS + 90) * 1_000_000L;
        long after = t0 + DemoTraffic.BULK_END_MS * 1_000_000L;
        PacketBuffer buf = new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY);
        long counterBefore = -1;
        long hitsBefore = -1;
        int i = 0;
        for (; i < frames.size() && frames.get(i).timestampNanos() < after; i++) {
            ReplayInput.Frame f = frames.get(i);
            if (counterBefore < 0 && f.timestampNanos() >= before) {
                router.advanceTo(before);
                counterBefore = establishedCounter(Listing.print(model, interfaces, live));
                hitsBefore = hits(router.flowtablesText());
            }
            router.advanceTo(f.timestampNanos());
            buf.load(f.bytes());
            buf.ifindex = net.devices().byName(f.iface()).ifindex();
            buf.timestamp = f.timestampNanos();
            router.receive(buf);
        }
        router.advanceTo(after);
        String listing = Listing.print(model, interfaces, live);
        Files.createDirectories(snapshot);
        StringBuilder ct = new StringBuilder();
        for (String line : router.conntrackLines()) {
            ct.append(line).append('\n');
        }
        Files.writeString(snapshot.resolve("conntrack.txt"), ct.toString());
        Files.writeString(snapshot.resolve("flowtables.txt"), router.flowtablesText());
        Files.writeString(snapshot.resolve("ruleset.nft"), listing);
        return new Narration(counterBefore, establishedCounter(listing), hitsBefore, hits(router.flowtablesText()));
    }

    static long establishedCounter(String listing) {
        Matcher m = ESTABLISHED_COUNTER.matcher(listing);
        if (!m.find()) {
            throw new IllegalStateException("no `ct state established,related counter` rule in\n" + listing);
        }
        return Long.parseLong(m.group(1));
    }

    /** The fast-path hits of the (first) flowtable, from its flowtables.txt header line. */
    static long hits(String flowtablesText) {
        int at = flowtablesText.indexOf("hits=");
        return at < 0 ? 0 : Long.parseLong(flowtablesText.substring(at + 5, flowtablesText.indexOf(' ', at)));
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
