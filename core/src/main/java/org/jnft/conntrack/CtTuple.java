package org.jnft.conntrack;

import org.jnft.packet.Addresses;

/**
 * One direction of an entry ({@code nf_conntrack_tuple_hash}): the tuple and its hash-chain link. Addresses
 * are 128-bit pairs; an IPv4 address is {@code hi = 0, lo = addr & 0xffffffffL}. Ports are 16-bit; for
 * ICMP/ICMPv6 {@code srcPort} is the echo id and {@code dstPort} is {@code type << 8 | code}; for GRE the
 * keys; 0 for the generic protocol.
 */
public final class CtTuple {
    /** {@link CtConst#NFPROTO_IPV4} or {@link CtConst#NFPROTO_IPV6}. */
    public int l3;
    /** IP protocol number. */
    public int proto;
    public long srcHi;
    public long srcLo;
    public long dstHi;
    public long dstLo;
    public int srcPort;
    public int dstPort;

    /** The entry this tuple belongs to. */
    public final CtEntry ct;
    /** {@link CtConst#DIR_ORIGINAL} or {@link CtConst#DIR_REPLY}. */
    public final int dir;

    CtTuple next;
    int hash;
    int zone;

    CtTuple(CtEntry ct, int dir) {
        this.ct = ct;
        this.dir = dir;
    }

    void set(int l3, int proto, long sh, long sl, long dh, long dl, int sp, int dp) {
        this.l3 = l3;
        this.proto = proto;
        srcHi = sh;
        srcLo = sl;
        dstHi = dh;
        dstLo = dl;
        srcPort = sp;
        dstPort = dp;
    }

    boolean matches(int l3, int proto, long sh, long sl, long dh, long dl, int sp, int dp) {
        return srcLo == sl && dstLo == dl && srcPort == sp && dstPort == dp
                && this.proto == proto && this.l3 == l3 && srcHi == sh && dstHi == dh;
    }

    public boolean isIpv4() {
        return l3 == CtConst.NFPROTO_IPV4;
    }

    /** IPv4 source address (valid for IPv4 tuples). */
    public int srcV4() {
        return (int) srcLo;
    }

    public int dstV4() {
        return (int) dstLo;
    }

    /** ICMP type (ICMP tuples). */
    public int icmpType() {
        return dstPort >>> 8;
    }

    public int icmpCode() {
        return dstPort & 0xff;
    }

    /** Source address as inet_ntop prints it. */
    public String srcText() {
        return isIpv4() ? Addresses.formatIpv4((int) srcLo) : Addresses.formatIpv6(srcHi, srcLo);
    }

    public String dstText() {
        return isIpv4() ? Addresses.formatIpv4((int) dstLo) : Addresses.formatIpv6(dstHi, dstLo);
    }

    @Override
    public String toString() {
        return "l3=" + l3 + " proto=" + proto + " src=" + srcText() + " dst=" + dstText()
                + " sport=" + srcPort + " dport=" + dstPort;
    }
}
