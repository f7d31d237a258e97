package org.jnft.nft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * nftables' tests/py corpus (../shared/conformance/nftables-tests-py, read in place) for ip, ip6, inet and
 * netdev tables: an "ok" rule passes when jnft accepts it and prints nft's expressions for it; a "fail"
 * rule passes when jnft rejects it. The pass count may only go up: corpus-floor.txt holds the floor.
 */
class CorpusTest {
    static final List<String> FAMILIES = List.of("ip", "ip6", "inet", "netdev");
    private static final Pattern SET_OPTION = Pattern.compile("\\s+(flags|timeout|size|policy|counter|gc-interval)\\b");

    /** {@code <repo>/../shared/conformance/...}; from a worktree nested deeper, the nearest such sibling. */
    static Path corpus() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("core/pom.xml"))) dir = dir.getParent();
        for (Path d = dir; d != null && d.getParent() != null; d = d.getParent()) {
            Path c = d.resolveSibling("shared").resolve("conformance/nftables-tests-py");
            if (Files.isDirectory(c)) return c;
        }
        return dir == null ? null : dir.resolve("../shared/conformance/nftables-tests-py").normalize();
    }

    record Tally(int passed, int total, int listed) {}

    /** Cases whose listing also matched (nft-test.py's second check), counted apart from the floor. */
    static int listed;
    static final List<String> LISTING_FAILURES = new ArrayList<>();

    @Test
    void passRateNeverGoesDown() throws IOException {
        Path root = corpus();
        boolean present = root != null && Files.isDirectory(root);
        if (!"true".equals(System.getenv("CI"))) Assumptions.assumeTrue(present, "corpus not found at " + root);
        assertThat(present).as("corpus at " + root).isTrue();
        Map<String, Tally> perFile = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path t : s.filter(p -> p.toString().endsWith(".t")).sorted().toList()) {
                perFile.put(root.relativize(t).toString(), run(CorpusCase.read(t), failures));
            }
        }
        int passed = perFile.values().stream().mapToInt(Tally::passed).sum();
        int total = perFile.values().stream().mapToInt(Tally::total).sum();
        int listedTotal = perFile.values().stream().mapToInt(Tally::listed).sum();
        StringBuilder report = new StringBuilder("passed " + passed + " of " + total + "\n");
        perFile.forEach((f, t) -> report.append(f).append(' ').append(t.passed).append('/').append(t.total)
                .append(" listed ").append(t.listed).append('\n'));
        report.append("listing also matches for ").append(listedTotal).append(" of ").append(passed).append('\n');
        report.append("\nfailures:\n");
        failures.forEach(f -> report.append(f).append('\n'));
        report.append("\nlisting differences:\n");
        LISTING_FAILURES.forEach(f -> report.append(f).append('\n'));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/corpus-report.txt"), report);
        int floor = Integer.parseInt(Files.readString(Path.of("src/test/resources/org/jnft/nft/corpus-floor.txt"))
                .lines().filter(l -> l.startsWith("passed ")).findFirst().orElse("passed 0").split(" ")[1]);
        assertThat(passed).as("corpus passes (see target/corpus-report.txt)").isGreaterThanOrEqualTo(floor);
    }

    static Tally run(CorpusCase c, List<String> failures) throws IOException {
        int passed = 0, total = 0;
        listed = 0;
        for (CorpusCase.TableLine tl : c.tables()) {
            if (!FAMILIES.contains(tl.family())) continue;
            Map<String, List<String>> payloads = CorpusCase.payloads(c.file(), tl.family());
            for (String chain : tl.chains()) {
                List<String> sets = new ArrayList<>();
                List<String> elements = new ArrayList<>();
                for (CorpusCase.Line l : c.lines()) {
                    if (l.kind() == '!') {
                        if (l.ok()) sets.add(setDecl(l.text()));
                        continue;
                    }
                    if (l.kind() == '%') {
                        // "%NAME type counter|quota ...|limit ...": a named object of the table.
                        String[] p = l.text().split("\\s+", 4);
                        if (l.ok() && p.length >= 3 && List.of("counter", "quota", "limit").contains(p[2])) {
                            sets.add(p[2] + " " + p[0] + " { " + (p.length > 3 ? p[3] : "") + " }");
                        }
                        continue;
                    }
                    if (l.kind() == '?') {
                        if (l.ok()) {
                            String name = l.text().split("\\s+", 2)[0];
                            elements.add("add element " + tl.family() + " " + tl.table() + " " + name + " { "
                                    + l.text().split("\\s+", 2)[1] + " }");
                        }
                        continue;
                    }
                    total++;
                    String outcome = outcome(c, tl, chain, sets, elements, l, payloads);
                    if (outcome == null) passed++;
                    else failures.add(c.file().getFileName() + ":" + l.lineNo() + " [" + tl.family() + "] " + l.text() + " -- " + outcome);
                }
            }
        }
        return new Tally(passed, total, listed);
    }

    /**
     * nft-test.py's leniency: counters' values are dropped, spacing in braces and lists is ignored, and set
     * elements compare as unordered.
     */
    static String normalizeListing(String s) {
        s = s.replaceAll("counter packets \\d+ bytes \\d+", "counter").replaceAll("\\s*,\\s*", ",")
                .replaceAll("\\{\\s*", "{").replaceAll("\\s*\\}", "}").replaceAll("\\s+", " ").strip();
        java.util.regex.Matcher m = Pattern.compile("\\{([^{}]*)\\}").matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            List<String> items = new ArrayList<>(List.of(m.group(1).split(",")));
            java.util.Collections.sort(items);
            m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement("{" + String.join(",", items) + "}"));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    static String setDecl(String text) {
        String[] p = text.split("\\s+", 2);
        boolean map = p[1].contains(" : ");
        return (map ? "map " : "set ") + p[0] + " { " + SET_OPTION.matcher(p[1]).replaceAll("; $1") + "; }";
    }

    /** null when the case passes, else why not. */
    static String outcome(CorpusCase c, CorpusCase.TableLine tl, String chain, List<String> sets, List<String> elements,
                          CorpusCase.Line l, Map<String, List<String>> payloads) {
        String chainSpec = c.chains().getOrDefault(chain, "");
        StringBuilder text = new StringBuilder("table " + tl.family() + " " + tl.table() + " {\n");
        for (String s : sets) text.append("\t").append(s).append("\n");
        text.append("\tchain ").append(chain).append(" {\n\t\t").append(chainSpec).append(";\n\t}\n}\n");
        for (String e : elements) text.append(e).append("\n");
        String prefix = text.toString();
        text.append("add rule ").append(tl.family()).append(' ').append(tl.table()).append(' ').append(chain).append(' ')
                .append(l.text()).append('\n');
        Model m;
        try {
            Model base = Frontend.loadText(new Source("prefix.nft", prefix));
            int before = base.batch.size();
            m = Frontend.loadText(new Source("corpus.nft", text.toString()));
            if (!m.kernelErrors.isEmpty()) return l.ok() ? "rejected: " + m.kernelErrors.get(0).message() : null;
            if (!l.ok()) return "accepted, nft rejects it";
            List<String> want = payloads.get(l.text());
            if (want == null) return "no payload for it";
            List<String> got = List.of(NetlinkDebug.print(m, before).split("\n"));
            if (!CorpusCase.normalize(got).equals(CorpusCase.normalize(want))) {
                return "expressions differ: got " + CorpusCase.normalize(got) + " want " + CorpusCase.normalize(want);
            }
            Model.Table table = m.table(tl.family(), tl.table());
            Model.Chain ch = table.chains.get(chain);
            String listing = RuleListing.rule(table, ch.rules.getLast());
            String expected = l.canonical() != null ? l.canonical() : l.text();
            if (normalizeListing(listing).equals(normalizeListing(expected))) listed++;
            else LISTING_FAILURES.add(c.file().getFileName() + ":" + l.lineNo() + " [" + tl.family() + "] " + l.text()
                    + " -- listed as: " + listing + " -- want: " + expected);
            return null;
        } catch (NftException e) {
            return l.ok() ? "rejected: " + e.diags.get(0).message() : null;
        } catch (RuntimeException e) {
            return "crash: " + e;
        }
    }
}
