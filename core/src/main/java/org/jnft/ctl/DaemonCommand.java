package org.jnft.ctl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jnft daemon}: route between Linux interfaces of the current network namespace (DESIGN.md). */
@Command(name = "daemon", description = "Run the router on Linux interfaces of the current network namespace.")
final class DaemonCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--ruleset", paramLabel = "RULES.nft", description = "nftables ruleset (SIGHUP reloads it).")
    String ruleset;

    @Option(names = "--iface", required = true, paramLabel = "NAME",
            description = "An interface to route on; repeatable.")
    List<String> ifaces = new ArrayList<>();

    @Option(names = "--net", paramLabel = "NET",
            description = "Network configuration file (default: links, addresses and routes from the kernel).")
    String net;

    @Option(names = "--out", paramLabel = "DIR", description = "Directory for the state files (SIGUSR1, exit).")
    String out;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A Linux sysctl (docs/KNOBS.md).")
    List<String> sets = new ArrayList<>();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Override
    public Integer call() {
        Daemon.Options o = new Daemon.Options(ruleset == null ? null : Path.of(ruleset), ruleset, ifaces,
                net == null ? null : Path.of(net), net, out == null ? null : Path.of(out), sets);
        try {
            return Daemon.run(o, System.err);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
