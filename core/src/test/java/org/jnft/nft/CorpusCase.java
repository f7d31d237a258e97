package org.jnft.nft;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One .t file of nftables' tests/py: its chains, tables, sets, elements and rules, read as nft-test.py does. */
record CorpusCase(Path file, Map<String, String> chains, List<TableLine> tables, List<Line> lines) {
    record TableLine(String family, String table, List<String> chains) {}

    /** A set declaration (!), element addition (?) or rule, with its expected status and canonical form. */
    record Line(char kind, String text, boolean ok, String canonical, int lineNo) {}

    static CorpusCase read(Path file) throws IOException {
        Map<String, String> chains = new LinkedHashMap<>();
        List<TableLine> tables = new ArrayList<>();
        List<Line> lines = new ArrayList<>();
        int n = 0;
        for (String raw : Files.readAllLines(file)) {
            n++;
            String l = raw.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith("-")) continue;
            if (l.startsWith(":")) {
                String[] p = l.substring(1).split(";", 2);
                chains.put(p[0], p[1]);
            } else if (l.startsWith("*")) {
                String[] p = l.substring(1).split(";");
                tables.add(new TableLine(p[0], p[1], List.of(p[2].split(","))));
            } else {
                char kind = l.charAt(0) == '!' || l.charAt(0) == '?' || l.charAt(0) == '%' ? l.charAt(0) : 'r';
                String body = kind == 'r' ? l : l.substring(1);
                String[] p = body.split(";");
                if (p.length < 2) continue;
                lines.add(new Line(kind, p[0].strip(), p[1].strip().equals("ok"), p.length > 2 ? p[2].strip() : null, n));
            }
        }
        return new CorpusCase(file, chains, tables, lines);
    }

    private static final java.util.Set<String> FAMILY_WORDS = java.util.Set.of("ip", "ip6", "inet", "netdev", "arp", "bridge");

    /** A block's header: {@code FAMILY [TABLE CHAIN]} (no brackets, not a set line). */
    static boolean isHeader(String l) {
        String s = l.strip();
        return !s.isEmpty() && !s.contains("[") && !l.startsWith("__") && !l.startsWith(" ") && !l.startsWith("\t")
                && FAMILY_WORDS.contains(s.split("\\s+")[0]);
    }

    /** Expected rule blocks for {@code family}: rule text to the block lines (set lines included). */
    static Map<String, List<String>> payloads(Path t, String family) throws IOException {
        Map<String, List<String>> exact = new LinkedHashMap<>(), generic = new LinkedHashMap<>(),
                any = new LinkedHashMap<>();
        for (Path p : List.of(Path.of(t + ".payload." + family), Path.of(t + ".payload"))) {
            if (!Files.exists(p)) continue;
            String rule = null;
            List<String> block = null;
            List<String> all = new ArrayList<>(Files.readAllLines(p));
            all.add("");
            for (String l : all) {
                if (l.startsWith("# ")) {
                    rule = l.substring(2).strip();
                    block = new ArrayList<>();
                    continue;
                }
                if (block == null) continue;
                if (l.isBlank()) {
                    String header = block.stream().filter(CorpusCase::isHeader).findFirst().orElse(null);
                    if (header != null) {
                        String[] h = header.strip().split("\\s+");
                        if (h[0].equals(family) && h.length >= 3) exact.putIfAbsent(rule, block);
                        else if (h[0].equals(family) || h.length < 3) generic.putIfAbsent(rule, block);
                        else any.putIfAbsent(rule, block);
                    }
                    block = null;
                    continue;
                }
                block.add(l);
            }
        }
        // nft-test.py takes the first block written for the rule when none names this family.
        generic.forEach(exact::putIfAbsent);
        any.forEach(exact::putIfAbsent);
        return exact;
    }

    /**
     * Normal form for comparison as nft-test.py compares: lines without brackets (table headers, set
     * lines) are not compared, element lines are compared as unordered sets, whitespace runs collapse.
     */
    static List<String> normalize(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            String s = l.strip().replaceAll("\\s+", " ");
            if (s.isEmpty() || !s.contains("[")) continue;
            if (s.startsWith("element ")) {
                List<String> elems = new ArrayList<>(List.of(s.substring("element ".length()).split(" element ")));
                java.util.Collections.sort(elems);
                s = "element " + String.join(" element ", elems);
            }
            out.add(s);
        }
        return out;
    }
}
