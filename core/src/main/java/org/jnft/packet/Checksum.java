package org.jnft.packet;

import java.lang.foreign.MemorySegment;

/**
 * The Internet checksum (RFC 1071) and its incremental update (RFC 1624).
 *
 * <p>Sums are carried in a {@code long} accumulator of 16-bit ones'-complement words that is folded only
 * at the end: {@code acc = sum(seg, a, n, 0); acc = sum(seg, b, m, acc); check = finish(acc)}. Chained
 * regions must each start at an even distance from the start of the checksummed data (all header
 * boundaries are), an odd trailing byte is padded with a zero byte on the right. The accumulator never
 * overflows for any realistic input (2^32 words of 2^16).
 *
 * <p>Conventions: {@code fold} returns the 16-bit ones'-complement sum; {@code finish} its complement,
 * the value stored in a checksum field. Data whose sum including its stored checksum folds to
 * {@code 0xffff} is valid. The incremental updates use RFC 1624 equation 3, {@code HC' = ~(~HC + ~m + m')},
 * which (unlike equation 2) gives the same field as a full recomputation, including the 0x0000/0xffff
 * corner cases, whenever the covered data has at least one non-zero 16-bit word (true of every IP, TCP,
 * UDP and ICMP header). It is also what Linux's {@code csum_replace2/4/16} compute.
 *
 * <p>No method allocates; the data-plane methods never throw on in-bounds arguments.
 */
public final class Checksum {
    private Checksum() {
    }

    /** Adds the 16-bit big-endian words of {@code len} bytes at {@code off} to {@code acc}. */
    public static long sum(MemorySegment s, long off, int len, long acc) {
        long end = off + len;
        long p = off;
        while (end - p >= 8) {
            long w = Bytes.u64(s, p);
            acc += (w >>> 32) + (w & 0xffffffffL);
            p += 8;
        }
        if (end - p >= 4) {
            acc += Bytes.u32(s, p) & 0xffffffffL;
            p += 4;
        }
        if (end - p >= 2) {
            acc += Bytes.u16(s, p);
            p += 2;
        }
        if (p < end) {
            acc += Bytes.u8(s, p) << 8;
        }
        return acc;
    }

    /** Adds the 16-bit big-endian words of {@code len} bytes of {@code b} at {@code off} (for builders, tests). */
    public static long sum(byte[] b, int off, int len, long acc) {
        int end = off + len;
        int p = off;
        for (; end - p >= 2; p += 2) {
            acc += ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
        }
        if (p < end) {
            acc += (b[p] & 0xff) << 8;
        }
        return acc;
    }

    /** Folds the accumulator (treated as unsigned) to a 16-bit ones'-complement sum. */
    public static int fold(long acc) {
        // Reduce the 64-bit value by end-around carries; each step shrinks it until it fits in 16 bits.
        acc = (acc & 0xffffffffL) + (acc >>> 32);
        acc = (acc & 0xffffffffL) + (acc >>> 32);
        acc = (acc & 0xffff) + (acc >>> 16);
        acc = (acc & 0xffff) + (acc >>> 16);
        acc = (acc & 0xffff) + (acc >>> 16);
        return (int) acc;
    }

    /** The checksum field value for data summing to {@code acc}: {@code ~fold(acc) & 0xffff}. */
    public static int finish(long acc) {
        return ~fold(acc) & 0xffff;
    }

    /** Adds a 32-bit value (e.g. an IPv4 address) as two words. */
    public static long add32(long acc, int v) {
        return acc + (v >>> 16) + (v & 0xffff);
    }

    /** Adds a 64-bit value as four words. */
    public static long add64(long acc, long v) {
        return acc + (v >>> 48) + ((v >>> 32) & 0xffff) + ((v >>> 16) & 0xffff) + (v & 0xffff);
    }

    /** IPv4 pseudo-header sum (RFC 793/768): source, destination, zero+protocol, upper-layer length. */
    public static long pseudoV4(int src, int dst, int proto, int len) {
        return add32(add32(0, src), dst) + (proto & 0xff) + (len & 0xffff);
    }

    /** IPv6 pseudo-header sum (RFC 8200 section 8.1): addresses, 32-bit upper-layer length, next header. */
    public static long pseudoV6(long srcHi, long srcLo, long dstHi, long dstLo, int nextHeader, int len) {
        long acc = add64(add64(add64(add64(0, srcHi), srcLo), dstHi), dstLo);
        return add32(acc, len) + (nextHeader & 0xff);
    }

    /**
     * ip_decrease_ttl: the IPv4 header checksum after the TTL (the high byte of its 16-bit word) went down by
     * one; the sum drops by 0x0100, so the checksum grows by 0x0100 with end-around carry, in the kernel's
     * own arithmetic (a result of 0xffff wraps to 0x0000, as its {@code check >= 0xFFFF} does).
     */
    public static int decreaseTtl(int check) {
        int c = check + 0x0100;
        return (c + (c >= 0xffff ? 1 : 0)) & 0xffff;
    }

    /** RFC 1624 eq. 3: the checksum after one 16-bit word of the covered data changed from old to new. */
    public static int update16(int check, int oldValue, int newValue) {
        long acc = (~check & 0xffff) + (~oldValue & 0xffff) + (newValue & 0xffff);
        return finish(acc);
    }

    /** RFC 1624 eq. 3 for a 32-bit field (two words), e.g. an IPv4 address in a TCP/UDP pseudo-header. */
    public static int update32(int check, int oldValue, int newValue) {
        long acc = (~check & 0xffff)
                + (~oldValue >>> 16) + (~oldValue & 0xffff)
                + (newValue >>> 16) + (newValue & 0xffff);
        return finish(acc);
    }

    /** RFC 1624 eq. 3 for a 128-bit field (eight words), e.g. an IPv6 address. */
    public static int update128(int check, long oldHi, long oldLo, long newHi, long newLo) {
        long acc = (~check & 0xffff);
        acc = add64(acc, ~oldHi);
        acc = add64(acc, ~oldLo);
        acc = add64(acc, newHi);
        acc = add64(acc, newLo);
        return finish(acc);
    }

    /**
     * {@link #update16} for a UDP checksum field: a zero field (no checksum, IPv4 only) stays zero, and a
     * result of zero is stored as 0xffff (as Linux's NAT does with CSUM_MANGLED_0).
     */
    public static int udpUpdate16(int check, int oldValue, int newValue) {
        return check == 0 ? 0 : mangledZero(update16(check, oldValue, newValue));
    }

    /** {@link #update32} for a UDP checksum field (see {@link #udpUpdate16}). */
    public static int udpUpdate32(int check, int oldValue, int newValue) {
        return check == 0 ? 0 : mangledZero(update32(check, oldValue, newValue));
    }

    /** {@link #update128} for a UDP checksum field (see {@link #udpUpdate16}). */
    public static int udpUpdate128(int check, long oldHi, long oldLo, long newHi, long newLo) {
        return check == 0 ? 0 : mangledZero(update128(check, oldHi, oldLo, newHi, newLo));
    }

    private static int mangledZero(int check) {
        return check == 0 ? 0xffff : check;
    }

    /**
     * Offset of the checksum field inside the upper-layer header of {@code proto}: TCP 16, UDP and
     * UDP-Lite 6, ICMP and ICMPv6 2; -1 for others.
     */
    public static int checksumFieldOffset(int proto) {
        return switch (proto) {
            case IpProto.TCP -> 16;
            case IpProto.UDP, IpProto.UDPLITE -> 6;
            case IpProto.ICMP, IpProto.ICMPV6 -> 2;
            default -> -1;
        };
    }

    /**
     * The value to store in the checksum field of the upper-layer header of {@code l4len} bytes at
     * {@code l4off} carried in IPv4 (TCP, UDP, UDP-Lite with pseudo-header; ICMP without). The field is
     * treated as zero whatever it holds. UDP and UDP-Lite store a zero result as 0xffff. UDP-Lite covers
     * its checksum-coverage bytes (0 = all). For other protocols, all bytes are summed as stored.
     */
    public static int l4ChecksumV4(MemorySegment s, long l4off, int l4len, int src, int dst, int proto) {
        long acc = proto == IpProto.ICMP ? 0 : pseudoV4(src, dst, proto, l4len);
        return l4Checksum(s, l4off, l4len, proto, acc);
    }

    /** As {@link #l4ChecksumV4} for IPv6 (every protocol, ICMPv6 included, uses the pseudo-header). */
    public static int l4ChecksumV6(MemorySegment s, long l4off, int l4len,
                                   long srcHi, long srcLo, long dstHi, long dstLo, int proto) {
        return l4Checksum(s, l4off, l4len, proto, pseudoV6(srcHi, srcLo, dstHi, dstLo, proto, l4len));
    }

    private static int l4Checksum(MemorySegment s, long l4off, int l4len, int proto, long acc) {
        int covered = coverage(s, l4off, l4len, proto);
        acc = sum(s, l4off, covered, acc);
        int field = checksumFieldOffset(proto);
        if (field >= 0 && field + 2 <= covered) {
            acc += ~Bytes.u16(s, l4off + field) & 0xffff; // subtract the stored field: treat it as zero
        }
        int c = finish(acc);
        return (c == 0 && (proto == IpProto.UDP || proto == IpProto.UDPLITE)) ? 0xffff : c;
    }

    private static int coverage(MemorySegment s, long l4off, int l4len, int proto) {
        if (proto == IpProto.UDPLITE && l4len >= 8) {
            int cov = Bytes.u16(s, l4off + 4);
            if (cov != 0 && cov >= 8 && cov <= l4len) {
                return cov;
            }
        }
        return l4len;
    }

    /** True when the IPv4 header at {@code off} (IHL taken from it, at least 5) has a valid checksum. */
    public static boolean ipv4HeaderValid(MemorySegment s, long off) {
        int ihl = Bytes.u8(s, off) & 0x0f;
        if (ihl < 5) {
            return false;
        }
        return fold(sum(s, off, ihl * 4, 0)) == 0xffff;
    }

    /**
     * Verifies an upper-layer checksum carried in IPv4 (as stored). UDP with a zero checksum is valid
     * (not checked, RFC 768); ICMP is summed without pseudo-header.
     */
    public static boolean l4ValidV4(MemorySegment s, long l4off, int l4len, int src, int dst, int proto) {
        if (proto == IpProto.UDP && l4len >= 8 && Bytes.u16(s, l4off + 6) == 0) {
            return true;
        }
        long acc = proto == IpProto.ICMP ? 0 : pseudoV4(src, dst, proto, l4len);
        return fold(sum(s, l4off, coverage(s, l4off, l4len, proto), acc)) == 0xffff;
    }

    /** Verifies an upper-layer checksum carried in IPv6. UDP with a zero checksum is invalid (RFC 8200 8.1). */
    public static boolean l4ValidV6(MemorySegment s, long l4off, int l4len,
                                    long srcHi, long srcLo, long dstHi, long dstLo, int proto) {
        if (proto == IpProto.UDP && l4len >= 8 && Bytes.u16(s, l4off + 6) == 0) {
            return false;
        }
        long acc = pseudoV6(srcHi, srcLo, dstHi, dstLo, proto, l4len);
        return fold(sum(s, l4off, coverage(s, l4off, l4len, proto), acc)) == 0xffff;
    }
}
