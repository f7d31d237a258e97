package org.jnft.pipeline;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.jnft.packet.Bytes;
import org.jnft.packet.Ipv4View;

/**
 * IPv4 output fragmentation as Linux's ip_fragment / ip_do_fragment (net/ipv4/ip_output.c), for datagrams
 * conntrack reassembled (with their {@link FragMeta}) and for plain ones (a cleared FragMeta).
 *
 * <p>The caller's decisions, in Linux's order: in ip_forward, {@link #exceedsMtu} (true: ICMP fragmentation
 * needed with the MTU, drop PKT_TOO_BIG); then in __ip_finish_output, {@link #mustFragment} (true: call
 * {@link #fragment}, else send as is).
 *
 * <p>{@link #fragment}: DF set and (not reassembled, or frag_max_size above the MTU) gives
 * {@link #FRAG_NEEDED} (Linux counts FRAGFAILS, sends ICMP fragmentation needed with the MTU, and frees the
 * packet with kfree_skb: NOT_SPECIFIED). Otherwise the fragment size is min(MTU, frag_max_size). A reassembled
 * datagram whose original fragments all fit goes out along their original boundaries (ip_do_fragment's
 * frag_list fast path: the first fragment's flags become MF alone, so DF is not kept there); else the slow
 * path cuts at most (size - header) bytes, a multiple of 8 except the last, keeping DF when
 * IPSKB_FRAG_PMTU is set. The identification stays the datagram's; options without the copied flag become
 * NOPs after the first fragment (ip_options_fragment), the header length unchanged. Headroom checks of the
 * fast path are assumed to pass (received frames always have the room).
 */
public final class Ipv4Refragmenter {
    /** Bytes before each emitted fragment's IP header (link-layer header room). */
    public static final int HEADROOM = 64;
    public static final int OK = 0;
    /** DF set and too big: send ICMP fragmentation needed (type 3 code 4) with the MTU. */
    public static final int FRAG_NEEDED = 1;
    /** Cannot be fragmented (MTU below header + 8 bytes): freed (FRAGFAILS). */
    public static final int FAILED = 2;

    private final MemorySegment buf = Arena.ofAuto().allocate(HEADROOM + 65536, 64);
    private final Ipv4View ip = new Ipv4View();
    private final Ipv4View out = new Ipv4View();

    /**
     * ip_exceeds_mtu (ip_forward): a datagram of {@code len} bytes with DF {@code df} must not be forwarded
     * over {@code mtu}. Reassembled datagrams (ignore_df) exceed only when frag_max_size does.
     */
    public static boolean exceedsMtu(int len, boolean df, FragMeta meta, int mtu) {
        if (len <= mtu || !df) {
            return false;
        }
        if (meta.fragMaxSize > mtu) {
            return true;
        }
        return !meta.reassembled;
    }

    /** __ip_finish_output: fragment when longer than the MTU or when reassembled (frag_max_size set). */
    public static boolean mustFragment(int len, int mtu, FragMeta meta) {
        return len > mtu || meta.fragMaxSize != 0;
    }

    /**
     * ip_fragment: emits the fragments of the datagram at {@code [l3, l3 + len)} of {@code seg} for a device
     * MTU of {@code mtu} through {@code sink}. The datagram itself is not modified.
     *
     * @return {@link #OK}, {@link #FRAG_NEEDED} or {@link #FAILED}
     */
    public int fragment(MemorySegment seg, long l3, int len, int mtu, FragMeta meta, FragmentSink sink) {
        ip.wrap(seg, l3);
        int fragField = ip.fragField();
        if ((fragField & Ipv4View.FLAG_DF) != 0
                && (!meta.reassembled || (meta.fragMaxSize != 0 && meta.fragMaxSize > mtu))) {
            return FRAG_NEEDED;
        }
        int m = mtu;
        if (meta.fragMaxSize != 0 && meta.fragMaxSize < m) {
            m = meta.fragMaxSize;
        }
        int hlen = ip.headerLength();
        int space = m - hlen;
        long h = HEADROOM;
        MemorySegment.copy(seg, l3, buf, h, hlen);
        out.wrap(buf, h);
        if (fastPathFits(meta, hlen, space, fragField, len)) {
            int offset = 0;
            long src = l3 + hlen;
            for (int i = 0; i < meta.fragments; i++) {
                int n = i == 0 ? meta.firstLen - hlen : meta.pieceLen[i - 1];
                boolean last = i == meta.fragments - 1;
                if (i == 1) {
                    optionsFragment(buf, h, hlen);
                }
                int field = i == 0 ? Ipv4View.FLAG_MF : (offset >> 3) | (last ? 0 : Ipv4View.FLAG_MF);
                emit(seg, src, n, hlen, field, sink);
                src += n;
                offset += n;
            }
            return OK;
        }
        // Slow path: ip_frag_init / ip_frag_next.
        int left = len - hlen;
        long ptr = l3 + hlen;
        int offset = (fragField & Ipv4View.OFFSET_MASK) << 3;
        boolean notLast = (fragField & Ipv4View.FLAG_MF) != 0;
        boolean df = meta.pmtu;
        while (left > 0) {
            boolean first = offset == 0;
            int n = Math.min(left, space);
            if (n < left) {
                n &= ~7;
            }
            if (n <= 0) {
                return FAILED;
            }
            left -= n;
            int field = (offset >> 3) | (df ? Ipv4View.FLAG_DF : 0)
                    | (left > 0 || notLast ? Ipv4View.FLAG_MF : 0);
            emit(seg, ptr, n, hlen, field, sink);
            if (first) {
                optionsFragment(buf, h, hlen);
            }
            ptr += n;
            offset += n;
        }
        return OK;
    }

    private static boolean fastPathFits(FragMeta meta, int hlen, int space, int fragField, int len) {
        if (!meta.reassembled || meta.fragments < 2) {
            return false;
        }
        int first = meta.firstLen - hlen;
        if (first < 0 || first > space || (first & 7) != 0
                || (fragField & (Ipv4View.FLAG_MF | Ipv4View.OFFSET_MASK)) != 0) {
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

    private void emit(MemorySegment seg, long src, int n, int hlen, int field, FragmentSink sink) {
        long h = HEADROOM;
        MemorySegment.copy(seg, src, buf, h + hlen, n);
        out.fragField(field);
        out.totalLength(hlen + n);
        out.fillChecksum();
        sink.emit(buf, h, hlen + n);
    }

    /** ip_options_fragment: options without the copied flag become NOPs. */
    static void optionsFragment(MemorySegment s, long l3, int hlen) {
        int i = Ipv4View.MIN_HEADER_LEN;
        while (i < hlen) {
            int type = Bytes.u8(s, l3 + i);
            if (type == 0) {
                return;
            }
            if (type == 1) {
                i++;
                continue;
            }
            if (i + 1 >= hlen) {
                return;
            }
            int olen = Bytes.u8(s, l3 + i + 1);
            if (olen < 2 || olen > hlen - i) {
                return;
            }
            if ((type & 0x80) == 0) {
                for (int k = 0; k < olen; k++) {
                    Bytes.setU8(s, l3 + i + k, 1);
                }
            }
            i += olen;
        }
    }
}
