package org.jnft.nft;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jnft.vm.PayloadBase;

/**
 * Header templates: each protocol's fields (name, bit offset, bit length, type) at its payload base,
 * the checksum it carries, and how a lower layer names it. Everything protocol-specific that the
 * evaluator and linearizer need is in these tables.
 */
public record Proto(String name, PayloadBase base, int baseOffsetBits, Map<String, Field> fields,
                    int csumOffset, boolean pseudoHeader, int number) {

    /** A header field: bit offset and length from the start of its header. */
    public record Field(String name, int offsetBits, int lenBits, DataType type) {}

    private static Proto p(String name, PayloadBase base, int baseOff, int csum, boolean pseudo, int number,
                           Object... f) {
        Map<String, Field> m = new LinkedHashMap<>();
        for (int i = 0; i < f.length; i += 4) {
            m.put((String) f[i], new Field((String) f[i], (Integer) f[i + 1], (Integer) f[i + 2], (DataType) f[i + 3]));
        }
        return new Proto(name, base, baseOff, m, csum, pseudo, number);
    }

    private static final DataType I8 = DataType.INTEGER.withBits(8), I16 = DataType.INTEGER.withBits(16),
            I32 = DataType.INTEGER.withBits(32);

    public static final Proto ETHER = p("ether", PayloadBase.LL, 0, -1, false, -1,
            "daddr", 0, 48, DataType.ETHER, "saddr", 48, 48, DataType.ETHER, "type", 96, 16, DataType.ETHER_TYPE);
    public static final Proto VLAN = p("vlan", PayloadBase.LL, 112, -1, false, -1,
            "pcp", 0, 3, DataType.INTEGER.withBits(3), "dei", 3, 1, DataType.INTEGER.withBits(1),
            "cfi", 3, 1, DataType.INTEGER.withBits(1), "id", 4, 12, DataType.INTEGER.withBits(12),
            "type", 16, 16, DataType.ETHER_TYPE);
    public static final Proto IP = p("ip", PayloadBase.NH, 0, 10, false, -1,
            "version", 0, 4, DataType.INTEGER.withBits(4), "hdrlength", 4, 4, DataType.INTEGER.withBits(4),
            "dscp", 8, 6, DataType.DSCP, "ecn", 14, 2, DataType.ECN, "length", 16, 16, I16, "id", 32, 16, I16,
            "frag-off", 48, 16, I16, "ttl", 64, 8, I8, "protocol", 72, 8, DataType.INET_PROTO,
            "checksum", 80, 16, I16, "saddr", 96, 32, DataType.IPV4, "daddr", 128, 32, DataType.IPV4);
    public static final Proto IP6 = p("ip6", PayloadBase.NH, 0, -1, false, -1,
            "version", 0, 4, DataType.INTEGER.withBits(4), "dscp", 4, 6, DataType.DSCP, "ecn", 10, 2, DataType.ECN,
            "flowlabel", 12, 20, DataType.INTEGER.withBits(20), "length", 32, 16, I16,
            "nexthdr", 48, 8, DataType.INET_PROTO, "hoplimit", 56, 8, I8, "saddr", 64, 128, DataType.IPV6,
            "daddr", 192, 128, DataType.IPV6);
    public static final Proto TCP = p("tcp", PayloadBase.TH, 0, 16, true, 6,
            "sport", 0, 16, DataType.INET_SERVICE, "dport", 16, 16, DataType.INET_SERVICE, "sequence", 32, 32, I32,
            "ackseq", 64, 32, I32, "doff", 96, 4, DataType.INTEGER.withBits(4),
            "reserved", 100, 4, DataType.INTEGER.withBits(4), "flags", 104, 8, DataType.TCP_FLAG,
            "window", 112, 16, I16, "checksum", 128, 16, I16, "urgptr", 144, 16, I16);
    public static final Proto UDP = p("udp", PayloadBase.TH, 0, 6, true, 17,
            "sport", 0, 16, DataType.INET_SERVICE, "dport", 16, 16, DataType.INET_SERVICE, "length", 32, 16, I16,
            "checksum", 48, 16, I16);
    public static final Proto UDPLITE = p("udplite", PayloadBase.TH, 0, 6, true, 136,
            "sport", 0, 16, DataType.INET_SERVICE, "dport", 16, 16, DataType.INET_SERVICE,
            "csumcov", 32, 16, I16, "checksum", 48, 16, I16);
    public static final Proto ICMP = p("icmp", PayloadBase.TH, 0, 2, false, 1,
            "type", 0, 8, DataType.ICMP_TYPE, "code", 8, 8, DataType.ICMP_CODE, "checksum", 16, 16, I16,
            "id", 32, 16, I16, "sequence", 48, 16, I16, "gateway", 32, 32, I32, "mtu", 48, 16, I16);
    public static final Proto ICMPV6 = p("icmpv6", PayloadBase.TH, 0, 2, true, 58,
            "type", 0, 8, DataType.ICMPV6_TYPE, "code", 8, 8, DataType.ICMPV6_CODE, "checksum", 16, 16, I16,
            "parameter-problem", 32, 32, I32, "mtu", 32, 32, I32, "id", 32, 16, I16, "sequence", 48, 16, I16,
            "max-delay", 32, 16, I16);
    public static final Proto SCTP = p("sctp", PayloadBase.TH, 0, -1, false, 132,
            "sport", 0, 16, DataType.INET_SERVICE, "dport", 16, 16, DataType.INET_SERVICE, "vtag", 32, 32, I32,
            "checksum", 64, 32, I32);
    public static final Proto DCCP = p("dccp", PayloadBase.TH, 0, -1, false, 33,
            "sport", 0, 16, DataType.INET_SERVICE, "dport", 16, 16, DataType.INET_SERVICE);
    public static final Proto AH = p("ah", PayloadBase.TH, 0, -1, false, 51,
            "nexthdr", 0, 8, DataType.INET_PROTO, "hdrlength", 8, 8, I8, "reserved", 16, 16, I16,
            "spi", 32, 32, I32, "sequence", 64, 32, I32);
    public static final Proto ESP = p("esp", PayloadBase.TH, 0, -1, false, 50,
            "spi", 0, 32, I32, "sequence", 32, 32, I32);
    public static final Proto COMP = p("comp", PayloadBase.TH, 0, -1, false, 108,
            "nexthdr", 0, 8, DataType.INET_PROTO, "flags", 8, 8, I8, "cpi", 16, 16, I16);
    /** {@code th}: the transport header's ports, with no protocol dependency. */
    public static final Proto TH = p("th", PayloadBase.TH, 0, -1, false, -1,
            "sport", 0, 16, DataType.INET_SERVICE, "dport", 16, 16, DataType.INET_SERVICE);

    /**
     * ICMP fields that exist only for some message types: nft adds a match on the type before using them
     * (one value: a compare; several: an anonymous set).
     */
    public static final Map<String, long[]> TYPE_DEPENDENCIES = Map.of(
            "icmp id", new long[] {0, 8}, "icmp sequence", new long[] {0, 8}, "icmp mtu", new long[] {3},
            "icmp gateway", new long[] {5}, "icmpv6 id", new long[] {128, 129}, "icmpv6 sequence", new long[] {128, 129},
            "icmpv6 mtu", new long[] {2}, "icmpv6 max-delay", new long[] {130},
            "icmpv6 parameter-problem", new long[] {4});

    public static final Map<String, Proto> BY_NAME = new LinkedHashMap<>();

    static {
        for (Proto x : List.of(ETHER, VLAN, IP, IP6, TCP, UDP, UDPLITE, ICMP, ICMPV6, SCTP, DCCP, AH, ESP, COMP, TH)) {
            BY_NAME.put(x.name, x);
        }
    }

    /** The transport protocol with IP protocol number {@code n}, or null. */
    public static Proto byNumber(long n) {
        for (Proto x : BY_NAME.values()) {
            if (x.base == PayloadBase.TH && x.number == n) return x;
        }
        return null;
    }
}
