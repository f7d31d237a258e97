package org.jnft.nft;

import java.util.Set;

/** Words that nft's scanner returns as keywords (bison names them literally in syntax errors). */
final class Keywords {
    private Keywords() {}

    private static final Set<String> WORDS = new java.util.HashSet<>(java.util.Arrays.asList(
            "table", "chain", "rule", "rules", "set", "sets", "map", "maps", "element", "flowtable", "flowtables",
            "counter", "counters", "quota", "quotas", "limit", "limits", "log", "reject", "accept", "drop",
            "continue", "return", "jump", "goto", "queue", "type", "hook", "priority", "policy", "device",
            "devices", "flags", "elements", "size", "timeout", "typeof", "define", "redefine", "undefine",
            "include", "add", "create", "insert", "replace", "delete", "flush", "list", "ruleset", "reset",
            "rename", "describe", "monitor", "export", "import", "ip", "ip6", "inet", "netdev", "arp", "bridge",
            "ether", "vlan", "tcp", "udp", "udplite", "icmp", "icmpv6", "igmp", "th", "meta", "ct", "rt", "fib",
            "saddr", "daddr", "sport", "dport", "protocol", "nexthdr", "mark", "iif", "oif", "iifname", "oifname",
            "iiftype", "oiftype", "l4proto", "nfproto", "length", "pkttype", "state", "status", "direction",
            "expiration", "original", "reply", "name", "over", "burst", "rate", "bytes", "packets", "prefix",
            "level", "with", "to", "snat", "dnat", "masquerade", "redirect", "random", "persistent",
            "fully-random", "notrack", "flow", "offload", "update", "interval", "constant", "dynamic",
            "comment", "handle", "position", "index", "dscp", "ecn", "ttl", "hoplimit", "version", "hdrlength",
            "id", "frag-off", "checksum", "flags", "sequence", "window", "urgptr", "option", "code", "mtu",
            "zone", "helper", "l3proto", "proto-src", "proto-dst", "and", "or", "xor", "not", "vmap", "at",
            "in", "from", "by", "ah", "esp", "comp", "sctp", "dccp", "gre", "dup", "fwd", "numgen",
            "jhash", "symhash", "hash", "osf", "synproxy", "secmark", "exists", "missing", "oif", "present",
            "tcpmss", "nexthop", "classid", "cpu", "skuid", "skgid", "nftrace", "rtclassid", "ibrname",
            "obrname", "iifgroup", "oifgroup", "cgroup", "time", "day", "hour", "maxseg", "timestamp", "sack",
            "label", "event", "avgpkt", "ipsec", "ibriport", "obriport", "stateless", "vxlan", "geneve",
            "exthdr", "hbh", "rt0", "rt2", "srh", "frag", "dst", "mh", "all",
            "family", "last", "never", "auto-merge", "secpath", "saddr",
            "icmpx", "vlan", "cfi", "pcp", "dei", "htype", "ptype", "hlen", "plen", "operation", "sha", "tha",
            "spa", "tpa", "flowlabel"));

    static boolean isKeyword(String w) {
        return WORDS.contains(w);
    }
}
