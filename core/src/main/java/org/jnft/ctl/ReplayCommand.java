package org.jnft.ctl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jnft replay}: run the router offline on pcap files with virtual time (DESIGN.md). */
@Command(name = "replay", description = "Run the router offline on pcap files, on virtual time.")
final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--net", required = true, paramLabel = "NET", description = "Network configuration file.")
    String net;

    @Option(names = "--ruleset", paramLabel = "RULES.nft", description = "nftables ruleset.")
    String ruleset;

    @Option(names = "--in", required = true, paramLabel = "IFACE=FILE",
            description = "Frames received on IFACE (pcap or pcapng); repeatable, one file per interface.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the output files.")
    String out;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A Linux sysctl (docs/KNOBS.md).")
    List<String> sets = new ArrayList<>();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Override
    public Integer call() throws Exception {
        List<String> ifaces = new ArrayList<>();
        List<String> files = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String in : inputs) {
            int eq = in.indexOf('=');
            if (eq <= 0 || eq == in.length() - 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--in expects IFACE=FILE, got '" + in + "'");
            }
            String iface = in.substring(0, eq);
            if (!seen.add(iface)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--in " + iface + " given twice");
            }
            ifaces.add(iface);
            files.add(in.substring(eq + 1));
        }
        Replay.Options o = new Replay.Options(Path.of(net), net, ruleset == null ? null : Path.of(ruleset), ruleset,
                ifaces, files, Path.of(out), sets);
        try {
            Replay.run(o);
            return 0;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        } catch (Replay.BadInputException e) {
            System.err.println(e.getMessage());
            return 1;
        } catch (java.io.IOException e) {
            System.err.println("jnft: " + out + ": " + Replay.reason(e));
            return 1;
        }
    }
}
