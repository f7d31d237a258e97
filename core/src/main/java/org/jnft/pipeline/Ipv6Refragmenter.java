package org.jnft.pipeline;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.jnft.packet.Bytes;
import org.jnft.packet.IpProto;
import org.jnft.packet.Ipv6View;

/**
 * IPv6 output fragmentation as Linux's ip6_fragment (net/ipv6/ip6_output.c), for datagrams conntrack
 * reassembled (routers never fragment other IPv6 packets).
 *
 * <p>The caller's decisions: in ip6_forward, {@link #pktTooBig} (true: ICMPv6 packet too big with the MTU,
 * drop PKT_TOO_BIG); in __ip6_finish_output, {@link #mustFragment} (true: {@link #fragment}).
 *
 * <p>{@link #fragment}: the unfragmentable part is what ip6_find_1stfragopt finds (hop-by-hop, routing,
 * destination options before a routing header); the fragment header goes after it, with the next header of
 * the part it replaces. Fragment size min(MTU, frag_max_size, at least 1280). The original geometry is kept
 * when every original fragment fits (frag_list fast path), else the slow path cuts multiples of 8. Linux
 * takes a fresh identification from ipv6_select_ident (a keyed hash plus random, per destination) even for
 * conntrack-reassembled packets; the caller passes the identification to use ({@link FragMeta#id} keeps the
 * original one).
 */
public final class Ipv6Refragmenter {
    public static final int OK = 0;
    /** Too big (frag_max_size over the MTU, or MTU below headers + 16): ICMPv6 packet too big with the MTU. */
    public static final int TOO_BIG = 1;
    /** Malformed extension headers (ip6_find_1stfragopt fails): freed (FRAGFAILS). */
    public static final int FAILED = 2;
    static final int MIN_MTU = 1280;

    private static final int HEADROOM = Ipv4Refragmenter.HEADROOM;
    private final MemorySegment buf = Arena.ofAuto().allocate(HEADROOM + 65536 + 64, 64);
    private int prevhdr;

    /** ip6_pkt_too_big: reassembled packets (ignore_df) are too big only when frag_max_size is. */
    public static boolean pktTooBig(int len, FragMeta meta, int mtu) {
        if (len <= mtu) {
            return false;
        }
        if (meta.fragMaxSize != 0 && meta.fragMaxSize > mtu) {
            return true;
        }
        return !meta.reassembled;
    }

    /** __ip6_finish_output: fragment when longer than the MTU or than frag_max_size. */
    public static boolean mustFragment(int len, int mtu, FragMeta meta) {
        return len > mtu || (meta.fragMaxSize != 0 && len > meta.fragMaxSize);
    }

    /**
     * ip6_find_1stfragopt: the length of the unfragmentable part of the datagram at {@code l3}, or -1;
     * remembers the offset of the next-header byte to point at the fragment header.
     */
    int find1stFragOpt(MemorySegment s, long l3, int len) {
        int offset = Ipv6View.HEADER_LEN;
        int nhPos = 6;
        boolean foundRhdr = false;
        while (offset <= len) {
            int nh = Bytes.u8(s, l3 + nhPos);
            switch (nh) {
                case IpProto.HOPOPTS -> { }
                case IpProto.ROUTING -> foundRhdr = true;
                case IpProto.DSTOPTS -> {
                    if (foundRhdr) {
                        prevhdr = nhPos;
                        return offset;
                    }
                }
                default -> {
                    prevhdr = nhPos;
                    return offset;
                }
            }
            if (offset + 2 > len) {
                return -1;
            }
            nhPos = offset;
            offset += (Bytes.u8(s, l3 + offset + 1) + 1) << 3;
            if (offset > 0xffff) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * ip6_fragment of the datagram at {@code [l3, l3 + len)} for a device MTU of {@code mtu}, fragments
     * identified by {@code fragId}, emitted through {@code sink}. The datagram is not modified.
     */
    public int fragment(MemorySegment seg, long l3, int len, int mtu, FragMeta meta, int fragId, FragmentSink sink) {
        int hlen = find1stFragOpt(seg, l3, len);
        if (hlen < 0) {
            return FAILED;
        }
        int nexthdr = Bytes.u8(seg, l3 + prevhdr);
        if (!meta.reassembled && len > mtu) {
            return TOO_BIG;
        }
        int m = mtu;
        if (meta.fragMaxSize != 0) {
            if (meta.fragMaxSize > m) {
                return TOO_BIG;
            }
            m = Math.max(meta.fragMaxSize, MIN_MTU);
        }
        if (m < hlen + 8 + 8) {
            return TOO_BIG;
        }
        int space = m - hlen - 8;
        long h = HEADROOM;
        MemorySegment.copy(seg, l3, buf, h, hlen);
        Bytes.setU8(buf, h + prevhdr, IpProto.FRAGMENT);
        long fh = h + hlen;
        Bytes.setU8(buf, fh, nexthdr);
        Bytes.setU8(buf, fh + 1, 0);
        Bytes.setU32(buf, fh + 4, fragId);
        if (fastPathFits(meta, hlen, space, len)) {
            int offset = 0;
            long src = l3 + hlen;
            for (int i = 0; i < meta.fragments; i++) {
                int n = i == 0 ? meta.firstLen - hlen : meta.pieceLen[i - 1];
                boolean last = i == meta.fragments - 1;
                emit(seg, src, n, hlen, offset | (last ? 0 : 1), sink);
                src += n;
                offset += n;
            }
            return OK;
        }
        int left = len - hlen;
        long ptr = l3 + hlen;
        int offset = 0;
        while (left > 0) {
            int n = Math.min(left, space);
            if (n < left) {
                n &= ~7;
            }
            left -= n;
            emit(seg, ptr, n, hlen, offset | (left > 0 ? 1 : 0), sink);
            ptr += n;
            offset += n;
        }
        return OK;
    }

    private static boolean fastPathFits(FragMeta meta, int hlen, int space, int len) {
        if (!meta.reassembled || meta.fragments < 2) {
            return false;
        }
        int first = meta.firstLen - hlen;
        if (first < 0 || first > space || (first & 7) != 0) {
            return false;
        }
        int sum = meta.firstLen;
        for (int i = 0; i < meta.fragments - 1; i++) {
            int n = meta.pieceLen[i];
            if (n > space || ((n & 7) != 0 && i < meta.fragments - 2)) {
                return false;
            }
            sum += n;
        }
        return sum == len;
    }

    private void emit(MemorySegment seg, long src, int n, int hlen, int fragOff, FragmentSink sink) {
        long h = HEADROOM;
        long fh = h + hlen;
        Bytes.setU16(buf, fh + 2, fragOff);
        MemorySegment.copy(seg, src, buf, fh + 8, n);
        Bytes.setU16(buf, h + 4, hlen + 8 + n - Ipv6View.HEADER_LEN);
        sink.emit(buf, h, hlen + 8 + n);
    }
}
