package org.jnft.pipeline;

/**
 * Why a frame was dropped: Linux's {@code enum skb_drop_reason} names without the {@code SKB_DROP_REASON_}
 * prefix where one fits. Names of our own are listed in docs/DROP_REASONS.md.
 */
public enum DropReason {
    /** Ethernet destination is another host's unicast MAC (pkt_type PACKET_OTHERHOST). */
    OTHERHOST,
    /** Frame or IP datagram shorter than its headers claim. */
    PKT_TOO_SMALL,
    /** Bad IPv4 header checksum. */
    IP_CSUM,
    /** Bad IP header (version, header length, total length), or TTL / hop limit exhausted when forwarding. */
    IP_INHDR,
    /** No route to the destination. */
    IP_INNOROUTES,
    /** Martian source address (multicast, limited broadcast, zeronet, loopback on a real device). */
    IP_INVALID_SOURCE,
    /** Martian destination (zeronet). */
    IP_INVALID_DEST,
    /** Loopback address seen on a non-loopback device. */
    IP_LOCALNET,
    /** Too big for the egress MTU with DF set (IPv4) or always (IPv6). */
    PKT_TOO_BIG,
    /** An nftables rule or policy dropped it. */
    NETFILTER_DROP,
    /** The next hop's link-layer address could not be resolved. */
    NEIGH_FAILED,
    /** Pushed out of a full neighbour queue. */
    NEIGH_QUEUEFULL,
    /** EtherType (or VLAN id) nobody handles. */
    UNHANDLED_PROTO,
    /** Delivered to the router but nothing consumes it (e.g. an ICMP type the router ignores). */
    NOT_SPECIFIED,
    /** UDP to a local port without a listener (ICMP port unreachable sent). */
    NO_SOCKET,
    /** Bad ICMP checksum on a message to the router. */
    ICMP_CSUM,
    /** Bad UDP checksum on a datagram to the router. */
    UDP_CSUM,
    /** Bad TCP checksum (or a header too short) on a segment to the router. */
    TCP_CSUM,
    /** A protocol the router does not handle (ICMP protocol unreachable sent). */
    IP_NOPROTO,
    /** A fragment that duplicates one already queued for reassembly (IPv4). */
    DUP_FRAG,
    /** A fragment freed because its datagram did not reassemble in time. */
    FRAG_REASM_TIMEOUT,
    /** A fragment freed because too many other fragments from its source came between (ipfrag_max_dist). */
    FRAG_TOO_FAR,
    /** No neighbour entry could be created (gc_thresh3 entries). */
    NEIGH_CREATEFAIL,
    /** Malformed ARP or neighbour discovery message. */
    INVALID_PROTO,
    /** Daemon: the interface was down when the frame was sent (the kernel refused it). */
    DEV_READY,
    /** Daemon: the interface's transmit queue was full (the kernel refused the frame). */
    QDISC_DROP,
    /** Daemon: the kernel dropped received frames because the receive ring was full (counted, not seen). */
    FULL_RING;

    private static final DropReason[] VALUES = values();

    public static DropReason of(int ordinal) {
        return VALUES[ordinal];
    }

    public static int count() {
        return VALUES.length;
    }
}
