package org.jnft.bench;

/** Generated rulesets for the language benchmarks. */
final class Rulesets {
    private Rulesets() {}

    /**
     * A forward chain of {@code n} typical firewall rules (address and port matches, a set lookup, counters),
     * none of which matches 198.51.100.0/24 traffic to port 9 — so a packet walks all of them.
     */
    static String typical(int n) {
        StringBuilder sb = new StringBuilder("table inet filter {\n");
        sb.append("    set blocked { type ipv4_addr; flags interval; elements = { 203.0.113.0/24, 192.0.2.0/25 } }\n");
        sb.append("    chain forward {\n        type filter hook forward priority filter; policy accept;\n");
        for (int i = 0; i < n; i++) {
            int a = 1 + i / 250;
            int b = i % 250;
            switch (i % 5) {
                case 0 -> sb.append("        ip saddr 10.").append(a).append('.').append(b)
                        .append(".0/24 tcp dport 22 counter drop\n");
                case 1 -> sb.append("        ip daddr 10.").append(a).append('.').append(b)
                        .append(".7 udp dport { 53, 123, 5353 } accept\n");
                case 2 -> sb.append("        iifname \"lan\" tcp dport ").append(1000 + i % 60000)
                        .append(" tcp flags & (syn | ack) == syn counter accept\n");
                case 3 -> sb.append("        ip saddr @blocked ip daddr 10.").append(a).append('.').append(b)
                        .append(".0/24 drop\n");
                default -> sb.append("        meta l4proto udp udp sport ").append(2000 + i % 60000)
                        .append(" meta mark set 0x").append(Integer.toHexString(i + 1)).append('\n');
            }
        }
        sb.append("    }\n}\n");
        return sb.toString();
    }
}
