package org.jnft.ctl;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point of {@code ./jnft}: dispatches to the subcommands of DESIGN.md's command-line contract. */
@Command(name = "jnft", versionProvider = Main.Version.class,
        subcommands = {ReplayCommand.class, DaemonCommand.class, DemoCommand.class, FormatCommand.class},
        description = "A userspace router implementing Linux netfilter's flow offload infrastructure.")
public final class Main implements Runnable, CommandLine.IExitCodeGenerator {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = {"-v", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;

    @Option(names = {"-c", "--check"}, description = "Check the ruleset of -f FILE; change nothing.")
    boolean check;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read the ruleset from FILE.")
    String file;

    @Option(names = "--debug", paramLabel = "netlink", description = "With -c: print the netlink messages (expressions).")
    String debug;

    private int exitCode;

    @Override
    public void run() {
        CommandLine cl = new CommandLine(this);
        if (file == null) throw new CommandLine.ParameterException(cl, "a command is required");
        if (debug != null && !debug.equals("netlink")) throw new CommandLine.ParameterException(cl, "unknown debug level " + debug);
        if (!check) throw new CommandLine.ParameterException(cl, "-f needs -c (loading into a daemon comes later)");
        exitCode = CheckCommand.run(file, debug != null, System.out, System.err);
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit status (0 ok, 1 bad input, 2 usage error). */
    public static int execute(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"jnft " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
