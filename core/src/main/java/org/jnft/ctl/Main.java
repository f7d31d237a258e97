package org.jnft.ctl;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point of {@code ./jnft}: dispatches to the subcommands of DESIGN.md's command-line contract. */
@Command(name = "jnft", versionProvider = Main.Version.class,
        subcommands = {ReplayCommand.class, DemoCommand.class},
        description = "A userspace router implementing Linux netfilter's flow offload infrastructure.")
public final class Main implements Runnable {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = {"-v", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is required");
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
