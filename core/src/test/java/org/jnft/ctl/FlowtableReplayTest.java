package org.jnft.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnft.testing.KernelFrames.checksumsValid;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flowtable in replay: what the output files show of offloaded flows (virtual time). */
class FlowtableReplayTest {
    @TempDir
    Path tmp;

    private Path replay(Scenario s, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("replay"));
        args.addAll(s.write());
        Path out = tmp.resolve("out");
        args.addAll(List.of("--out", out.toString()));
        args.addAll(List.of(extra));
        assertThat(Main.execute(args.toArray(String[]::new))).isZero();
        return out;
    }

    @Test
    void establishedTcpLeavesTheForwardChainAndIsListed() throws Exception {
        Scenario s = FlowtableScenarios.bulkTcp(tmp.resolve("in"), 150);
        Path out = replay(s);
        System.out.println(Files.readString(out.resolve("flowtables.txt")));
        System.out.println(Files.readString(out.resolve("conntrack.txt")));
        System.out.println(Files.readString(out.resolve("ruleset.nft")));
        System.out.println(Files.readString(out.resolve("stats.txt")));
        assertThat(Scenario.frames(out.resolve("wan.pcap"))).hasSize(1 + 1 + 150 + 2);
        for (byte[] f : Scenario.frames(out.resolve("wan.pcap"))) {
            assertThat(checksumsValid(f)).isTrue();
        }
    }
}
