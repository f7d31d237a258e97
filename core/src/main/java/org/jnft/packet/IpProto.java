package org.jnft.packet;

/** IP protocol numbers (IANA "Assigned Internet Protocol Numbers"), including IPv6 extension headers. */
public final class IpProto {
    /** IPv6 hop-by-hop options header. */
    public static final int HOPOPTS = 0;
    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    /** IPv6 routing header. */
    public static final int ROUTING = 43;
    /** IPv6 fragment header. */
    public static final int FRAGMENT = 44;
    public static final int GRE = 47;
    public static final int ESP = 50;
    /** Authentication header (IPv4 and IPv6). */
    public static final int AH = 51;
    public static final int ICMPV6 = 58;
    /** IPv6 "no next header". */
    public static final int NONE = 59;
    /** IPv6 destination options header. */
    public static final int DSTOPTS = 60;
    public static final int SCTP = 132;
    public static final int UDPLITE = 136;

    private IpProto() {
    }

    /**
     * True for the IPv6 extension headers the parser walks through to reach the upper layer
     * (hop-by-hop, routing, fragment, destination options, AH). ESP and NONE end the walk.
     */
    public static boolean isIpv6ExtensionHeader(int nextHeader) {
        return nextHeader == HOPOPTS || nextHeader == ROUTING || nextHeader == FRAGMENT
                || nextHeader == DSTOPTS || nextHeader == AH;
    }
}
