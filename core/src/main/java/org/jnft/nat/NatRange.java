package org.jnft.nat;

/**
 * {@code struct nf_nat_range2}: an address range (IPv4 or IPv6, 128-bit pairs as conntrack stores them: an
 * IPv4 address is {@code hi = 0, lo = addr & 0xffffffffL}), a port (or ICMP id) range, a base port for
 * {@link #PROTO_OFFSET}, and {@code NF_NAT_RANGE_*} flags with Linux's values. Mutable and reusable: the VM
 * fills one per first packet from its registers (no allocation).
 */
public final class NatRange {
    public static final int MAP_IPS = 0x1;
    public static final int PROTO_SPECIFIED = 0x2;
    public static final int PROTO_RANDOM = 0x4;
    public static final int PERSISTENT = 0x8;
    public static final int PROTO_RANDOM_FULLY = 0x10;
    public static final int PROTO_OFFSET = 0x20;
    /** Not implemented (nft's {@code snat prefix}); ignored. */
    public static final int NETMAP = 0x40;
    public static final int PROTO_RANDOM_ALL = PROTO_RANDOM | PROTO_RANDOM_FULLY;

    public int flags;
    public long minHi;
    public long minLo;
    public long maxHi;
    public long maxLo;
    /** Ports / ICMP ids, host order 0..65535 (valid with {@link #PROTO_SPECIFIED}). */
    public int minPort;
    public int maxPort;
    /** Base port of {@link #PROTO_OFFSET}. */
    public int basePort;

    public NatRange clear() {
        flags = 0;
        minHi = minLo = maxHi = maxLo = 0;
        minPort = maxPort = basePort = 0;
        return this;
    }

    /** Sets the IPv4 address range and {@link #MAP_IPS}. */
    public NatRange v4(int min, int max) {
        minHi = 0;
        maxHi = 0;
        minLo = min & 0xffffffffL;
        maxLo = max & 0xffffffffL;
        flags |= MAP_IPS;
        return this;
    }

    /** Sets the IPv6 address range and {@link #MAP_IPS}. */
    public NatRange v6(long minHi, long minLo, long maxHi, long maxLo) {
        this.minHi = minHi;
        this.minLo = minLo;
        this.maxHi = maxHi;
        this.maxLo = maxLo;
        flags |= MAP_IPS;
        return this;
    }

    /** Sets the port range and {@link #PROTO_SPECIFIED}. */
    public NatRange ports(int min, int max) {
        minPort = min & 0xffff;
        maxPort = max & 0xffff;
        flags |= PROTO_SPECIFIED;
        return this;
    }

    /** Adds flags. */
    public NatRange flags(int f) {
        flags |= f;
        return this;
    }

    public NatRange copyFrom(NatRange o) {
        flags = o.flags;
        minHi = o.minHi;
        minLo = o.minLo;
        maxHi = o.maxHi;
        maxLo = o.maxLo;
        minPort = o.minPort;
        maxPort = o.maxPort;
        basePort = o.basePort;
        return this;
    }

    /** True when {@code (hi, lo)} is within [min, max] (unsigned, as ipv6_addr_cmp / ntohl compare). */
    boolean addrInRange(long hi, long lo) {
        return cmp(hi, lo, minHi, minLo) >= 0 && cmp(hi, lo, maxHi, maxLo) <= 0;
    }

    static int cmp(long ah, long al, long bh, long bl) {
        int c = Long.compareUnsigned(ah, bh);
        return c != 0 ? c : Long.compareUnsigned(al, bl);
    }

    @Override
    public String toString() {
        return "NatRange{flags=0x" + Integer.toHexString(flags) + " min=" + Long.toHexString(minHi) + ":"
                + Long.toHexString(minLo) + " max=" + Long.toHexString(maxHi) + ":" + Long.toHexString(maxLo)
                + " ports=" + minPort + "-" + maxPort + " base=" + basePort + "}";
    }
}
