package org.jnft.nft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The flowtable inputs of nftables' tests/shell (../shared/conformance/nftables-shell-flowtable): the same
 * --debug=netlink output as nft 1.0.6 and the same first error unless nft's comes from this kernel's lack
 * of flowtables ("Could not process rule"); the bogons must be rejected with a located error.
 */
class ShellFlowtableTest {
    static Path root() {
        Path c = CorpusTest.corpus();
        return c == null ? null : c.resolveSibling("nftables-shell-flowtable");
    }

    static Stream<Path> inputs() throws IOException {
        return list("inputs");
    }

    static Stream<Path> bogons() throws IOException {
        return list("testcases/bogons/nft-f");
    }

    private static Stream<Path> list(String dir) throws IOException {
        Path r = root();
        if (r == null || !Files.isDirectory(r.resolve(dir))) return Stream.of();
        try (Stream<Path> s = Files.walk(r.resolve(dir))) {
            return s.filter(Files::isRegularFile).sorted().toList().stream();
        }
    }

    @ParameterizedTest(allowZeroInvocations = true)
    @MethodSource("inputs")
    void sameOutputAsNft(Path file) throws IOException {
        NftOracle.require();
        NftOracle.Result nft = NftOracle.check(file);
        DifferentialTest.Run ours = DifferentialTest.jnft(file);
        if (nft.exit() > 1) {
            // nft 1.0.6 itself crashes on this input: no oracle, but jnft must still answer (valid or error)
            assertThat(ours.exit()).as("jnft on an input nft crashes on: " + file).isBetween(0, 1);
            return;
        }
        DebugOutput want = DebugOutput.parse(nft.stdout()), got = DebugOutput.parse(ours.stdout());
        assertThat(got.ruleBlocks()).containsExactlyElementsOf(want.ruleBlocks());
        assertThat(got.otherLines()).isEqualTo(want.otherLines());
        if (!nft.stderr().isEmpty() && !nft.stderr().lines().findFirst().orElse("").contains("Could not process rule")) {
            assertThat(DifferentialTest.firstError(ours.stderr())).isEqualTo(DifferentialTest.firstError(nft.stderr()));
        }
    }

    @ParameterizedTest(allowZeroInvocations = true)
    @MethodSource("bogons")
    void bogonsAreRejectedWithALocatedError(Path file) {
        DifferentialTest.Run ours = DifferentialTest.jnft(file);
        assertThat(ours.exit()).isEqualTo(1);
        assertThat(ours.stdout()).isEmpty();
        assertThat(ours.stderr()).matches("(?s)" + java.util.regex.Pattern.quote(file.toString())
                + ":\\d+:\\d+-\\d+: Error: .+\\n.*\\n[ \\t]*[\\^~]+.*");
    }
}
