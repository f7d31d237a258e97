package org.jnft.packet;

/**
 * Results of {@link PacketParser#parse}. Each non-OK status maps to the name of Linux's
 * {@code enum skb_drop_reason} member (without the {@code SKB_DROP_REASON_} prefix) that the kernel
 * would count for the same frame, via {@link #dropReason(int)}.
 */
public final class ParseStatus {
    /** Well-formed as far as the parser looks. */
    public static final int OK = 0;
    /**
     * Frame shorter than an Ethernet header (or than a VLAN tag / ARP packet it announces), or IP
     * datagram longer than the frame: IPv4 total length &gt; bytes after the link header, IPv6 40 +
     * payload length &gt; bytes after the link header (ip_rcv_core, ip6_rcv_core).
     */
    public static final int PKT_TOO_SMALL = 1;
    /**
     * Bad IP header: fewer than 20 bytes for an IPv4 header or fewer than IHL*4, version != 4, IHL &lt;
     * 5, total length &lt; IHL*4 (ip_rcv_core); fewer than 40 bytes for an IPv6 header; an IPv6 extension
     * header truncated, longer than the payload, or more than {@link PacketParser#MAX_EXT_HEADERS} of
     * them; an IPv6 payload length of 0 with a hop-by-hop header (a jumbogram, impossible in a 64 KiB
     * frame; not supported).
     */
    public static final int IP_INHDR = 2;
    /** Bad IPv4 header checksum. */
    public static final int IP_CSUM = 3;
    /** IPv6 EtherType with a version field other than 6 (current ip6_rcv_core sets UNHANDLED_PROTO). */
    public static final int UNHANDLED_PROTO = 4;
    /**
     * An unfragmented (or atomic-fragment) TCP, UDP, UDP-Lite, ICMP or ICMPv6 datagram whose upper-layer
     * header does not fit in the IP payload (TCP: fewer than 20 bytes, data offset &lt; 5 or past the
     * payload; UDP/UDP-Lite, ICMP, ICMPv6: fewer than 8 bytes). Linux does not look at L4 headers when
     * forwarding; conntrack finds no valid tuple and treats such a packet as INVALID (not tracked),
     * local delivery drops it with PKT_TOO_SMALL. All other {@link PacketInfo} fields are filled in, so
     * the pipeline can choose. {@link #dropReason} names it {@code PKT_TOO_SMALL}.
     */
    public static final int L4_TRUNCATED = 5;

    private ParseStatus() {
    }

    /** Linux's skb_drop_reason name for a status: NOT_DROPPED_YET for OK, NOT_SPECIFIED for unknown ones. */
    public static String dropReason(int status) {
        return switch (status) {
            case OK -> "NOT_DROPPED_YET";
            case PKT_TOO_SMALL, L4_TRUNCATED -> "PKT_TOO_SMALL";
            case IP_INHDR -> "IP_INHDR";
            case IP_CSUM -> "IP_CSUM";
            case UNHANDLED_PROTO -> "UNHANDLED_PROTO";
            default -> "NOT_SPECIFIED";
        };
    }

    /** The constant's own name (for logs and test messages). */
    public static String name(int status) {
        return switch (status) {
            case OK -> "OK";
            case PKT_TOO_SMALL -> "PKT_TOO_SMALL";
            case IP_INHDR -> "IP_INHDR";
            case IP_CSUM -> "IP_CSUM";
            case UNHANDLED_PROTO -> "UNHANDLED_PROTO";
            case L4_TRUNCATED -> "L4_TRUNCATED";
            default -> "UNKNOWN(" + status + ")";
        };
    }
}
