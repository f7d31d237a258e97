package org.jnft.nft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jnft.ctl.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The -c / -f / --debug=netlink / format contract of DESIGN.md: exit codes and where output goes. */
class CommandLineTest {
    @TempDir
    Path dir;

    record Out(int rc, String out, String err) {}

    static Out run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int rc = Main.execute(args);
            return new Out(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    Path file(String text) throws Exception {
        Path f = dir.resolve("r.nft");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void checkPrintsNothingAndExitsZero() throws Exception {
        Path f = file("table ip t { chain c { type filter hook input priority 0; accept; }\n}\n");
        Out o = run("-c", "-f", f.toString());
        assertThat(o.rc).isZero();
        assertThat(o.out).isEmpty();
        assertThat(run("--file=" + f, "--check").rc).isZero();
    }

    @Test
    void debugNetlinkPrintsTheBatchInAnyOptionForm() throws Exception {
        Path f = file("table ip t { chain c { type filter hook input priority 0; accept; }\n}\n");
        String want = "ip (null) (null) use 0 type filter hook input prio 0 packets 0 bytes 0\nip t c\n"
                + "  [ immediate reg 0 accept ]\n\n";
        assertThat(run("--debug=netlink", "-c", "-f", f.toString()).out).isEqualTo(want);
        assertThat(run("-c", "--debug", "netlink", "--file", f.toString()).out).isEqualTo(want);
    }

    @Test
    void badInputExitsOneWithLocatedErrorOnStderr() throws Exception {
        Path f = file("table ip t { chain c { tcp dport foo accept; }\n}\n");
        Out o = run("--debug=netlink", "-c", "-f", f.toString());
        assertThat(o.rc).isEqualTo(1);
        assertThat(o.out).isEmpty();
        assertThat(o.err).startsWith(f + ":1:34-36: Error: Could not resolve service");
        Out missing = run("-c", "-f", dir.resolve("nope.nft").toString());
        assertThat(missing.rc).isEqualTo(1);
        assertThat(missing.err).contains("nope.nft");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("--debug=verbose", "-c", "-f", "x").rc).isEqualTo(2);
        assertThat(run("format").rc).isEqualTo(2);
        assertThat(run().rc).isEqualTo(2);
    }

    @Test
    void formatListsTheRuleset() throws Exception {
        Path f = file("define p = 22\ntable inet t {\n chain c {\n  tcp dport $p counter accept\n }\n}\n");
        Out o = run("format", f.toString());
        assertThat(o.rc).isZero();
        assertThat(o.out).isEqualTo("table inet t {\n\tchain c {\n\t\ttcp dport 22 counter packets 0 bytes 0 accept\n\t}\n}\n");
    }

    @Test
    void includeAndArpFamily() throws Exception {
        Path inc = dir.resolve("inc.nft");
        Files.writeString(inc, "define port = 80\n");
        Path f = file("include \"" + inc + "\"\ntable ip t {\n chain c {\n  tcp dport $port accept\n }\n}\n");
        assertThat(run("-c", "-f", f.toString()).rc).isZero();
        Path arp = file("table arp a {\n chain c {\n  accept\n }\n}\n");
        Out o = run("-c", "-f", arp.toString());
        assertThat(o.rc).isEqualTo(1);
        assertThat(o.err).contains(":1:7-9: Error: family arp is not supported by jnft");
    }
}
