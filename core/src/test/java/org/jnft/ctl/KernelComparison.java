package org.jnft.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnft.testing.KernelFrames.checksumsValid;
import static org.jnft.testing.KernelFrames.normalise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One scenario through `jnft replay` and through Linux (kernel-replay): the two output directories, their
 * frames per interface (checksums of ours verified, then normalised as KernelFrames does, after an optional
 * mask for what Linux chooses at random) and their conntrack lines without timeouts.
 */
final class KernelComparison {
    final Path ours;
    final Path linux;

    private KernelComparison(Path ours, Path linux) {
        this.ours = ours;
        this.linux = linux;
    }

    /** Runs both; fails (in CI) or skips (elsewhere) when the oracle's tools are missing. */
    static KernelComparison run(Scenario s, Path tmp) throws Exception {
        return run(s, tmp, List.of(), List.of());
    }

    /** As {@link #run(Scenario, Path)}, with extra arguments for kernel-replay and for jnft. */
    static KernelComparison run(Scenario s, Path tmp, List<String> krExtra, List<String> jnftExtra) throws Exception {
        Path kr = Tools.kernelReplay();
        Tools.require(Files.isExecutable(kr), "kernel-replay at " + kr);
        Tools.require(Tools.isRoot(), "root (kernel-replay needs network namespaces)");
        for (String t : List.of("ip", "tcpdump", "nft", "conntrack")) {
            Tools.require(Tools.onPath(t), t);
        }
        Tools.require(Files.isExecutable(Path.of("/usr/bin/python3")), "/usr/bin/python3 with scapy");
        List<String> args = s.write();
        Path ours = tmp.resolve("jnft");
        Path linux = tmp.resolve("linux");
        List<String> jargs = new ArrayList<>(List.of("replay"));
        jargs.addAll(args);
        jargs.addAll(List.of("--out", ours.toString()));
        jargs.addAll(jnftExtra);
        assertThat(Main.execute(jargs.toArray(String[]::new))).isZero();
        List<String> kargs = new ArrayList<>(List.of(kr.toString()));
        kargs.addAll(args);
        kargs.addAll(List.of("--out", linux.toString()));
        kargs.addAll(krExtra);
        Tools.Result r = Tools.run(kargs, 300);
        assertThat(r.exit()).as("kernel-replay: " + r.err()).isZero();
        return new KernelComparison(ours, linux);
    }

    /** The listing and every interface's frames must be the same (nothing masked). */
    void assertSameFrames() throws IOException {
        assertSameFrames(UnaryOperator.identity());
    }

    /** As {@link #assertSameFrames()}, each frame of both sides passed through {@code mask} first. */
    void assertSameFrames(UnaryOperator<byte[]> mask) throws IOException {
        assertThat(Files.readString(ours.resolve("ruleset.nft"))).isEqualTo(Files.readString(linux.resolve("ruleset.nft")));
        assertSameWire(mask);
    }

    /**
     * Every interface's frames only (the listing may differ: with a flowtable, Linux's rules see every packet
     * and ours only the classic path's).
     */
    void assertSameWire(UnaryOperator<byte[]> mask) throws IOException {
        for (String iface : List.of("lan", "wan")) {
            assertThat(frames(ours, iface, mask)).as("frames sent on " + iface + " (jnft vs Linux)")
                    .containsExactlyElementsOf(frames(linux, iface, mask));
        }
    }

    /** An interface's frames, normalised (ours with their checksums verified first). */
    List<String> frames(Path dir, String iface, UnaryOperator<byte[]> mask) throws IOException {
        List<byte[]> raw = Scenario.frames(dir.resolve(iface + ".pcap"));
        List<byte[]> masked = new ArrayList<>();
        for (byte[] f : raw) {
            if (dir.equals(ours)) {
                assertThat(checksumsValid(f)).as("checksums of " + HexFormat.of().formatHex(f)).isTrue();
            }
            masked.add(mask.apply(f.clone()));
        }
        return normalise(masked);
    }

    /** Raw frames an interface sent. */
    List<byte[]> raw(Path dir, String iface) throws IOException {
        return Scenario.frames(dir.resolve(iface + ".pcap"));
    }

    List<String> conntrack(Path dir) throws IOException {
        return KernelReplayComparisonTest.withoutTimeouts(Files.readAllLines(dir.resolve("conntrack.txt")));
    }

    /** The conntrack lines must be the same but for their timeouts. */
    void assertSameConntrack() throws IOException {
        assertThat(conntrack(ours)).as("conntrack -L (jnft vs Linux)").containsExactlyInAnyOrderElementsOf(conntrack(linux));
    }
}
