package org.jnft.nft;

import java.util.Set;

/**
 * Words that nft's scanner returns as keywords everywhere (bison names them literally in syntax errors);
 * nft 1.0.6 reads the context-dependent ones (saddr, rate, ...) as plain strings where a name is expected.
 */
final class Keywords {
    private Keywords() {}

    private static final Set<String> WORDS = new java.util.HashSet<>(java.util.Arrays.asList(
            "table", "chain", "rule", "set", "map", "element", "flowtable", "counter", "quota", "limit", "log",
            "reject", "accept", "drop", "continue", "return", "jump", "goto", "queue", "type", "hook", "priority",
            "policy", "device", "devices", "flags", "elements", "size", "timeout", "typeof", "define", "redefine",
            "undefine", "include", "add", "create", "insert", "replace", "delete", "flush", "list", "ruleset",
            "reset", "rename", "describe", "monitor", "export", "import", "ip", "ip6", "inet", "netdev", "arp",
            "bridge", "ether", "vlan", "tcp", "udp", "udplite", "icmp", "icmpv6", "igmp", "th", "meta", "ct", "rt",
            "fib", "mark", "iif", "oif", "iifname", "oifname", "iiftype", "oiftype", "pkttype", "snat", "dnat",
            "masquerade", "redirect", "random", "notrack", "flow", "offload", "update", "interval", "constant",
            "dynamic", "comment", "handle", "position", "index", "ecn", "and", "or", "xor", "not", "vmap", "ah",
            "esp", "comp", "sctp", "dccp", "dup", "fwd", "numgen", "jhash", "symhash", "osf", "synproxy",
            "secmark", "exists", "missing", "cpu", "skuid", "skgid", "nftrace", "rtclassid", "ibrname", "obrname",
            "iifgroup", "oifgroup", "cgroup", "time", "day", "hour", "ipsec", "ibriport", "obriport", "exthdr",
            "hbh", "rt0", "rt2", "srh", "frag", "dst", "mh", "all", "auto-merge"));

    static boolean isKeyword(String w) {
        return WORDS.contains(w);
    }
}
