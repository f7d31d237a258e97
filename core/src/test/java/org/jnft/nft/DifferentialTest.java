package org.jnft.nft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jnft.ctl.CheckCommand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * jnft against real nft 1.0.6 on the repo's rulesets: identical {@code --debug=netlink} output (rule blocks
 * in order, other lines as a multiset), and identical first errors on broken variants.
 */
class DifferentialTest {
    record Run(int exit, String stdout, String stderr) {}

    static Path dir(String name) throws URISyntaxException {
        return Path.of(DifferentialTest.class.getResource(name).toURI());
    }

    static Stream<Path> rulesets() throws Exception {
        return files("rulesets");
    }

    static Stream<Path> broken() throws Exception {
        return files("broken");
    }

    private static Stream<Path> files(String d) throws Exception {
        try (Stream<Path> s = Files.list(dir(d))) {
            return s.filter(p -> p.toString().endsWith(".nft")).sorted().toList().stream();
        }
    }

    static Run jnft(Path file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int rc = CheckCommand.run(file.toString(), true, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @MethodSource("rulesets")
    void debugNetlinkMatchesNft(Path file) throws IOException {
        NftOracle.require();
        NftOracle.Result nft = NftOracle.check(file);
        Run ours = jnft(file);
        assertThat(ours.stderr).as("jnft errors").isEmpty();
        assertThat(ours.exit).isZero();
        assertThat(nft.stdout()).as("nft printed its batch").isNotEmpty();
        DebugOutput want = DebugOutput.parse(nft.stdout()), got = DebugOutput.parse(ours.stdout);
        assertThat(got.ruleBlocks()).as("rule blocks of " + file.getFileName()).containsExactlyElementsOf(want.ruleBlocks());
        assertThat(got.otherLines()).as("object lines of " + file.getFileName()).isEqualTo(want.otherLines());
    }

    @ParameterizedTest
    @MethodSource("broken")
    void firstErrorMatchesNft(Path file) throws IOException {
        NftOracle.require();
        NftOracle.Result nft = NftOracle.check(file);
        Run ours = jnft(file);
        assertThat(nft.exit()).isEqualTo(1);
        assertThat(ours.exit).isEqualTo(1);
        assertThat(ours.stdout).isEmpty();
        assertThat(firstError(ours.stderr)).isEqualTo(firstError(nft.stderr()));
    }

    static List<String> firstError(String stderr) {
        List<String> lines = stderr.lines().toList();
        return lines.subList(0, Math.min(3, lines.size()));
    }
}
