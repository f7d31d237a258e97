package org.jnft.nft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Splits {@code --debug=netlink} output into rule blocks (ordered) and other lines (a multiset). */
record DebugOutput(List<String> ruleBlocks, Map<String, Integer> otherLines) {
    private static final Pattern RULE_HEADER = Pattern.compile("^(ip|ip6|inet|netdev|arp|bridge) \\S+ \\S+$");

    static DebugOutput parse(String text) {
        List<String> blocks = new ArrayList<>();
        Map<String, Integer> others = new TreeMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (RULE_HEADER.matcher(l).matches()) {
                StringBuilder b = new StringBuilder(l).append('\n');
                while (++i < lines.length && lines[i].startsWith("  ")) {
                    b.append(lines[i]).append('\n');
                    if (lines[i].startsWith("  userdata = ")) break;
                }
                blocks.add(b.toString());
                continue;
            }
            if (!l.isEmpty()) others.merge(l, 1, Integer::sum);
        }
        return new DebugOutput(blocks, others);
    }
}
