package org.jnft.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnft.testing.KernelFrames.checksumsValid;
import static org.jnft.testing.KernelFrames.normalise;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Runs one scenario through jnft ({@code DIR/jnft}) and through Linux's own router (kernel-replay,
 * {@code DIR/linux}) and asserts that every interface sent the same frames, bit for bit but for the fields
 * Linux randomises, with valid checksums on jnft's side.
 */
final class KernelCompare {
    private KernelCompare() {}

    /** Fails (in CI) or skips (elsewhere) when the oracle cannot run here. */
    static void requireOracle() {
        Tools.require(Files.isExecutable(Tools.kernelReplay()), "kernel-replay at " + Tools.kernelReplay());
        Tools.require(Tools.isRoot(), "root (kernel-replay needs network namespaces)");
        for (String t : List.of("ip", "tcpdump", "nft", "conntrack")) {
            Tools.require(Tools.onPath(t), t);
        }
        Tools.require(Files.isExecutable(Path.of("/usr/bin/python3")), "/usr/bin/python3 with scapy");
    }

    /** Both runs; returns Linux's output directory. The frames of {@code ifaces} are compared. */
    static Path frames(Path dir, Scenario s, List<String> krExtra, List<String> jnftExtra, List<String> ifaces)
            throws Exception {
        requireOracle();
        List<String> args = s.write();
        Path ours = dir.resolve("jnft");
        Path linux = dir.resolve("linux");
        List<String> jargs = new ArrayList<>(List.of("replay"));
        jargs.addAll(args);
        jargs.addAll(List.of("--out", ours.toString()));
        jargs.addAll(jnftExtra);
        assertThat(Main.execute(jargs.toArray(String[]::new))).isZero();

        List<String> kargs = new ArrayList<>(List.of(Tools.kernelReplay().toString()));
        kargs.addAll(args);
        kargs.addAll(List.of("--out", linux.toString()));
        kargs.addAll(krExtra);
        Tools.Result r = Tools.run(kargs, 300);
        assertThat(r.exit()).as("kernel-replay: " + r.err()).isZero();
        for (String iface : ifaces) {
            for (byte[] f : Scenario.frames(ours.resolve(iface + ".pcap"))) {
                assertThat(checksumsValid(f)).as("checksums of " + HexFormat.of().formatHex(f)).isTrue();
            }
            List<String> mine = normalise(Scenario.frames(ours.resolve(iface + ".pcap")));
            List<String> theirs = normalise(Scenario.frames(linux.resolve(iface + ".pcap")));
            assertThat(mine).as("frames sent on " + iface + " (jnft vs Linux)").containsExactlyElementsOf(theirs);
        }
        return linux;
    }
}
