package org.jnft.nft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property test (seeded java.util.Random, seed in the message): the repo's rulesets with random edits
 * (characters and words deleted, duplicated or swapped) are either accepted or rejected with nft-style
 * located errors; nothing throws.
 */
class MutationRobustnessTest {
    private static final String[] PIECES = {"{", "}", ";", "\n", " ", "-", "/", ".", ",", ":", "@", "$x", "\"", "accept",
            "ip", "tcp", "dport", "set", "map", "chain", "table", "0x", "1.2.3.4", "::1", "{ }", "vmap", "flow add @"};

    @Test
    void mutatedRulesetsFailCleanly(@TempDir Path dir) throws Exception {
        List<Path> files = DifferentialTest.rulesets().toList();
        long seed = 20261125;
        Random r = new Random(seed);
        for (int i = 0; i < 400; i++) {
            String text = Files.readString(files.get(r.nextInt(files.size())));
            StringBuilder sb = new StringBuilder(text);
            int edits = 1 + r.nextInt(3);
            for (int k = 0; k < edits && sb.length() > 1; k++) {
                int at = r.nextInt(sb.length());
                switch (r.nextInt(3)) {
                    case 0 -> sb.delete(at, Math.min(sb.length(), at + 1 + r.nextInt(8)));
                    case 1 -> sb.insert(at, PIECES[r.nextInt(PIECES.length)]);
                    default -> {
                        int len = Math.min(sb.length() - at, 1 + r.nextInt(6));
                        String piece = sb.substring(at, at + len);
                        sb.insert(r.nextInt(sb.length()), piece);
                    }
                }
            }
            Path f = dir.resolve("m" + i + ".nft");
            Files.writeString(f, sb);
            DifferentialTest.Run run;
            try {
                run = DifferentialTest.jnft(f);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " case " + i + " threw on:\n" + sb, e);
            }
            assertThat(run.exit()).as("seed %d case %d:\n%s", seed, i, sb).isIn(0, 1);
            if (run.exit() == 1) {
                assertThat(run.stderr()).as("seed %d case %d:\n%s", seed, i, sb)
                        .matches("(?s)" + java.util.regex.Pattern.quote(f.toString()) + ":\\d+:\\d+-\\d+: Error: .*");
            }
        }
    }
}
