package org.jnft.nft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ./jnft format} against {@code nft -f FILE; nft list ruleset} in a fresh namespace. This kernel has
 * no flowtables, so files with flowtables are compared with their flowtables and flow statements removed
 * (as kernel-replay does); FlowtableListingTest covers those blocks.
 */
class FormatDifferentialTest {
    static Stream<Path> rulesets() throws Exception {
        return DifferentialTest.rulesets();
    }

    static String strip(String text) {
        return text.replaceAll("(?ms)^[ \\t]*flowtable \\S+ \\{.*?^[ \\t]*\\}[ \\t]*\\n", "")
                .replaceAll("[ \\t]*flow (add|offload) @\\S+", "");
    }

    @ParameterizedTest
    @MethodSource("rulesets")
    void listingMatchesNft(Path file, @org.junit.jupiter.api.io.TempDir Path tmp) throws IOException, NftException {
        NftOracle.require();
        Path input = tmp.resolve(file.getFileName());
        Files.writeString(input, strip(Files.readString(file)));
        NftOracle.Result nft = NftOracle.run(List.of("unshare", "-n", "sh", "-c",
                NftOracle.binary() + " -f \"$1\" && " + NftOracle.binary() + " list ruleset", "sh", input.toString()));
        assertThat(nft.exit()).as(nft.stderr()).isZero();
        String ours = Listing.print(Frontend.load(input.toString()));
        assertThat(ours).isEqualTo(nft.stdout());
    }
}
