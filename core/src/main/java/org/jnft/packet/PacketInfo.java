package org.jnft.packet;

/**
 * The mutable, reusable result of {@link PacketParser#parse}: where each layer starts and what it is.
 * Offsets are absolute in the parsed segment (the frame starts at 0 of the segment passed to the
 * parser); -1 means "not present / not known". Fields are public for zero-cost access on the data
 * plane; {@link #clear()} resets all of them.
 */
public final class PacketInfo {
    /** A {@link ParseStatus} constant. */
    public int status;
    /** Frame length given to the parser (Ethernet header through any padding). */
    public int length;
    /** Number of VLAN tags looked through (0..2). */
    public int vlanCount;
    /** TCI of the outer tag (valid when vlanCount &gt;= 1). */
    public int vlanTci0;
    /** TCI of the inner tag (valid when vlanCount == 2). */
    public int vlanTci1;
    /** TPID of the outer tag (0x8100 or 0x88A8; valid when vlanCount &gt;= 1). */
    public int vlanTpid0;
    /** EtherType after the VLAN tags. */
    public int etherType;
    /** Offset of the network header (the byte after the EtherType). */
    public int l3Offset;
    /** EtherType of the network layer (IPv4, IPv6, ARP, or whatever else), -1 before parsing. */
    public int l3Proto;
    /**
     * IP datagram length: IPv4 total length, IPv6 40 + payload length, i.e. without Ethernet padding.
     * ARP: 28. Other EtherTypes: the bytes after the link header.
     */
    public int l3Length;
    /**
     * Upper-layer protocol number as declared: the IPv4 protocol field, or the IPv6 next header that
     * ended the extension header walk (for non-first fragments: the fragment header's next header).
     * -1 for non-IP.
     */
    public int ipProto;
    /**
     * Offset of the upper-layer header (where the IPv4 header or the IPv6 extension header walk ends,
     * also for ESP and NONE); -1 for non-IP packets and non-first fragments.
     */
    public int l4Offset;
    /** Upper-layer protocol of {@link #l4Offset}; -1 when l4Offset is -1. */
    public int l4Proto;
    /** Bytes of the IP datagram from l4Offset on (IP payload after all extension headers); 0 when none. */
    public int l4Length;
    /**
     * True when the upper-layer header of a TCP/UDP/UDP-Lite/ICMP/ICMPv6 datagram fits (for other
     * protocols: when l4Offset is known). Always true with status OK and no fragmentation.
     */
    public boolean l4Complete;
    /** IPv4 header longer than 20 bytes. */
    public boolean ipv4Options;
    /** IPv6 with any extension header (hop-by-hop, routing, fragment, destination options, AH). */
    public boolean ipv6ExtHeaders;
    /** Any fragment (IPv4 MF or offset; IPv6 fragment header with MF or offset, not atomic ones). */
    public boolean fragment;
    /** A fragment with offset 0 (holding the upper-layer header). */
    public boolean firstFragment;
    /** Fragment offset in bytes (0 when not a fragment). */
    public int fragOffset;
    /** More fragments follow. */
    public boolean moreFragments;
    /** Offset of the IPv6 fragment header, also for atomic fragments; -1 if none. */
    public int ipv6FragHeaderOffset;

    public PacketInfo() {
        clear();
    }

    /** Resets every field to "nothing parsed". */
    public void clear() {
        status = ParseStatus.OK;
        length = 0;
        vlanCount = 0;
        vlanTci0 = 0;
        vlanTci1 = 0;
        vlanTpid0 = 0;
        etherType = -1;
        l3Offset = -1;
        l3Proto = -1;
        l3Length = 0;
        ipProto = -1;
        l4Offset = -1;
        l4Proto = -1;
        l4Length = 0;
        l4Complete = false;
        ipv4Options = false;
        ipv6ExtHeaders = false;
        fragment = false;
        firstFragment = false;
        fragOffset = 0;
        moreFragments = false;
        ipv6FragHeaderOffset = -1;
    }

    public boolean isIpv4() {
        return l3Proto == EtherType.IPV4;
    }

    public boolean isIpv6() {
        return l3Proto == EtherType.IPV6;
    }

    /** VLAN id of the outer tag, or -1 without tags. */
    public int vlanId() {
        return vlanCount > 0 ? vlanTci0 & 0xfff : -1;
    }

    @Override
    public String toString() {
        return "PacketInfo{status=" + ParseStatus.name(status) + ", length=" + length
                + ", vlanCount=" + vlanCount + ", vlanTci0=" + vlanTci0 + ", vlanTci1=" + vlanTci1
                + ", etherType=0x" + Integer.toHexString(etherType) + ", l3Offset=" + l3Offset
                + ", l3Proto=0x" + Integer.toHexString(l3Proto) + ", l3Length=" + l3Length
                + ", ipProto=" + ipProto + ", l4Offset=" + l4Offset + ", l4Proto=" + l4Proto
                + ", l4Length=" + l4Length + ", l4Complete=" + l4Complete
                + ", ipv4Options=" + ipv4Options + ", ipv6ExtHeaders=" + ipv6ExtHeaders
                + ", fragment=" + fragment + ", firstFragment=" + firstFragment
                + ", fragOffset=" + fragOffset + ", moreFragments=" + moreFragments
                + ", ipv6FragHeaderOffset=" + ipv6FragHeaderOffset + "}";
    }
}
