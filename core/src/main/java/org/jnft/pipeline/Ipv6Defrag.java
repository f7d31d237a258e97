package org.jnft.pipeline;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.jnft.packet.Bytes;
import org.jnft.packet.IpProto;
import org.jnft.packet.Ipv6View;
import org.jnft.packet.PacketBuffer;
import org.jnft.packet.PacketInfo;

/**
 * IPv6 reassembly as conntrack's defrag hook does it (nf_defrag_ipv6 -> nf_ct_frag6_gather,
 * net/ipv6/netfilter/nf_conntrack_reasm.c), on preallocated pools.
 *
 * <ul>
 *   <li>Queues are keyed by (identification, source, destination, user, input device): unlike IPv4 and
 *       unlike the host's own reassembly, conntrack keys IPv6 queues on the input interface.</li>
 *   <li>Limits: {@code net.netfilter.nf_conntrack_frag6_high_thresh} (4 MiB), {@code
 *       nf_conntrack_frag6_timeout} (60 s); {@code nf_conntrack_frag6_low_thresh} (3 MiB) evicts nothing
 *       since Linux 4.17.</li>
 *   <li>Passed through unreassembled ({@link DefragResult#ACCEPT}), as Linux returns 0: packets without a
 *       fragment header, a first fragment that does not hold the upper-layer header (RFC 8200 4.5:
 *       ipv6frag_thdr_truncated), and a more-fragments fragment whose end is not a multiple of 8 (that one
 *       also kills its queue).</li>
 *   <li>Dropped (NF_DROP, the queue kept): payload reaching past 65535, a last fragment ending before data
 *       already queued or elsewhere than an earlier last fragment, data past a known end, no data. Overlaps
 *       (RFC 5722) drop the fragment and free the whole queue. Duplicates are freed silently.</li>
 *   <li>Atomic fragments (offset 0, M clear) are "reassembled" at once like any other: the fragment header
 *       is removed, and frag_max_size = their length, so they leave unfragmented.</li>
 *   <li>Reassembly: link-layer header and unfragmentable part of the offset-0 fragment, then the payloads;
 *       the fragment header removed, the next-header field before it set to the fragment header's, payload
 *       length set, ECN combined (RFC 3168), frag_max_size = 40 + largest fragment payload length.</li>
 * </ul>
 */
public final class Ipv6Defrag {
    /** enum ip6_defrag_users: IP6_DEFRAG_CONNTRACK_IN (+ zone) at prerouting. */
    public static final int USER_CONNTRACK_IN = 1;
    /** IP6_DEFRAG_CONNTRACK_OUT (+ zone) at output. */
    public static final int USER_CONNTRACK_OUT = USER_CONNTRACK_IN + 0xffff + 1;

    /** Linux defaults (IPV6_FRAG_HIGH_THRESH, IPV6_FRAG_LOW_THRESH, IPV6_FRAG_TIMEOUT). */
    public static final long DEFAULT_HIGH_THRESH = 4L * 1024 * 1024;
    public static final long DEFAULT_LOW_THRESH = 3L * 1024 * 1024;
    public static final int DEFAULT_TIMEOUT_SECONDS = 60;
    /** Approximately sizeof(struct frag_queue) on x86-64. */
    static final int QUEUE_COST = 192;

    private static final int HEADROOM = Ipv4Refragmenter.HEADROOM;

    private final FragQueueTable t;
    private final DefragEvents events;
    private final Ipv6View ip = new Ipv6View();
    private final MemorySegment scratch = Arena.ofAuto().allocate(HEADROOM + 65536 + 64, 64);

    private long reasmReqds;
    private long reasmOks;
    private long reasmFails;
    private long reasmTimeout;

    /** Linux defaults. */
    public Ipv6Defrag(DefragEvents events) {
        this(DEFAULT_HIGH_THRESH, DEFAULT_TIMEOUT_SECONDS * 1_000_000_000L, events);
    }

    public Ipv6Defrag(long highThresh, long timeoutNanos, DefragEvents events) {
        this.t = new FragQueueTable(highThresh, timeoutNanos, QUEUE_COST);
        this.events = events == null ? DefragEvents.NONE : events;
    }

    /** Reads the knobs from {@link Sysctl}. */
    public static Ipv6Defrag fromSysctl(Sysctl s, DefragEvents events) {
        return new Ipv6Defrag(s.get("net.netfilter.nf_conntrack_frag6_high_thresh"),
                s.get("net.netfilter.nf_conntrack_frag6_timeout") * 1_000_000_000L, events);
    }

    /** nf_ct6_defrag_user: {@code output} false for prerouting. */
    public static int user(boolean output, int zone) {
        return (output ? USER_CONNTRACK_OUT : USER_CONNTRACK_IN) + (zone & 0xffff);
    }

    private static boolean extHdr(int nh) {
        return nh == IpProto.HOPOPTS || nh == IpProto.ROUTING || nh == IpProto.FRAGMENT || nh == IpProto.AH
                || nh == IpProto.NONE || nh == IpProto.DSTOPTS;
    }

    /**
     * nf_ct_frag6_gather for the IPv6 packet {@code pi} describes in {@code pkt} (through ip6_rcv_core's
     * checks). Timers due at {@code now} fire first. See {@link Ipv4Defrag#gather} for {@code out} and
     * {@code meta}.
     */
    public int gather(PacketBuffer pkt, PacketInfo pi, int user, long now, PacketBuffer out, FragMeta meta) {
        if (!pi.isIpv6() || pi.ipv6FragHeaderOffset < 0) {
            return DefragResult.ACCEPT; // no fragment header anywhere: find_prev_fhdr fails
        }
        MemorySegment s = pkt.segment();
        long l3 = pi.l3Offset;
        int l3len = pi.l3Length;
        ip.wrap(s, l3);
        int plen = ip.payloadLength();
        if (plen == 0) {
            return DefragResult.ACCEPT;
        }
        // find_prev_fhdr
        int nexthdr = ip.nextHeader();
        int prevNhoff = 6;
        int start = Ipv6View.HEADER_LEN;
        int len = l3len - start;
        while (nexthdr != IpProto.FRAGMENT) {
            if (!extHdr(nexthdr) || nexthdr == IpProto.NONE || len < 2) {
                return DefragResult.ACCEPT;
            }
            int hl = nexthdr == IpProto.AH ? (Bytes.u8(s, l3 + start + 1) + 2) << 2
                    : (Bytes.u8(s, l3 + start + 1) + 1) << 3;
            prevNhoff = start;
            nexthdr = Bytes.u8(s, l3 + start);
            len -= hl;
            start += hl;
        }
        if (len < 0) {
            return DefragResult.ACCEPT;
        }
        int fhoff = start;
        if (thdrTruncated(s, l3, l3len, fhoff)) {
            return DefragResult.ACCEPT;
        }
        if (fhoff + 8 > l3len) {
            return DefragResult.NOMEM; // pskb_may_pull fails: -ENOMEM, NF_DROP
        }
        expire(now);
        reasmReqds++;
        if (t.overLimit()) {
            reasmFails++;
            return DefragResult.NOMEM;
        }
        int id = Bytes.u32(s, l3 + fhoff + 4);
        long a = ip.srcHi();
        long b = ip.srcLo();
        long c = ip.dstHi();
        long d = ip.dstLo();
        long e = ((long) id << 32) | (user & 0xffff_ffffL);
        long f6 = pkt.ifindex;
        int q = t.find(a, b, c, d, e, f6);
        if (q < 0) {
            q = t.create(a, b, c, d, e, f6, now);
            if (q < 0) {
                reasmFails++;
                return DefragResult.NOMEM;
            }
            t.qUser[q] = user;
            t.qId[q] = id;
        }
        // nf_ct_frag6_queue
        int fragOff = Bytes.u16(s, l3 + fhoff + 2);
        int offset = fragOff & ~7;
        boolean mf = (fragOff & 1) != 0;
        int end = offset + (plen - (fhoff + 8 - Ipv6View.HEADER_LEN));
        if (end > 0xffff) {
            return DefragResult.TOO_LONG;
        }
        int ecn = 1 << (ip.trafficClass() & 3);
        if (!mf) {
            if (end < t.qLen[q] || ((t.qFlags[q] & FragQueueTable.LAST_IN) != 0 && end != t.qLen[q])) {
                return DefragResult.INVALID;
            }
            t.qFlags[q] |= FragQueueTable.LAST_IN;
            t.qLen[q] = end;
        } else {
            if ((end & 7) != 0) {
                t.free(q); // inet_frag_kill, -EPROTO: the fragment goes on unreassembled
                return DefragResult.ACCEPT;
            }
            if (end > t.qLen[q]) {
                if ((t.qFlags[q] & FragQueueTable.LAST_IN) != 0) {
                    return DefragResult.INVALID;
                }
                t.qLen[q] = end;
            }
        }
        if (end == offset) {
            return DefragResult.INVALID;
        }
        int r = t.plan(q, offset, end);
        if (r == FragQueueTable.INSERT_DUP) {
            return DefragResult.DUP;
        }
        if (r == FragQueueTable.INSERT_OVERLAP) {
            t.free(q);
            return DefragResult.OVERLAP;
        }
        int payLen = end - offset;
        int l2 = (int) (l3 - pkt.offset());
        int ts = FragQueueTable.truesize(pkt.length());
        int frag = offset == 0
                ? t.store(s, pkt.offset(), l2 + fhoff + 8, payLen, ts)
                : t.store(s, l3 + fhoff + 8, 0, payLen, ts);
        if (frag < 0) {
            reasmFails++;
            return DefragResult.NOMEM;
        }
        t.link(q, frag, offset, end);
        t.qIif[q] = pkt.ifindex;
        t.qMeat[q] += payLen;
        t.qEcn[q] |= ecn;
        if (plen > t.qMaxSize[q]) {
            t.qMaxSize[q] = plen;
        }
        if (offset == 0) {
            t.qNhOff[q] = prevNhoff;
            t.qFlags[q] |= FragQueueTable.FIRST_IN;
            t.qL2[q] = l2;
            t.qHdr[q] = fhoff;
            t.qNext[q] = Bytes.u8(s, l3 + fhoff);
        }
        if (t.qFlags[q] == (FragQueueTable.FIRST_IN | FragQueueTable.LAST_IN) && t.qMeat[q] == t.qLen[q]) {
            return reassemble(q, pkt, out, meta);
        }
        return DefragResult.QUEUED;
    }

    /** ipv6frag_thdr_truncated: a first fragment must hold the upper-layer header (TCP 20, UDP/ICMPv6 8, else 1 byte). */
    private static boolean thdrTruncated(MemorySegment s, long l3, int l3len, int fhoff) {
        int nh = IpProto.FRAGMENT;
        int start = fhoff;
        int fragOff = 0;
        // ipv6_skip_exthdr
        while (extHdr(nh)) {
            if (nh == IpProto.NONE || start + 2 > l3len) {
                return false;
            }
            int hl;
            if (nh == IpProto.FRAGMENT) {
                if (start + 4 > l3len) {
                    return false;
                }
                fragOff = Bytes.u16(s, l3 + start + 2);
                if ((fragOff & ~7) != 0) {
                    break;
                }
                hl = 8;
            } else if (nh == IpProto.AH) {
                hl = (Bytes.u8(s, l3 + start + 1) + 2) << 2;
            } else {
                hl = (Bytes.u8(s, l3 + start + 1) + 1) << 3;
            }
            nh = Bytes.u8(s, l3 + start);
            start += hl;
        }
        if ((fragOff & 0xfff8) != 0) {
            return false;
        }
        int need = switch (nh) {
            case IpProto.TCP -> 20;
            case IpProto.UDP, IpProto.ICMPV6 -> 8;
            default -> 1;
        };
        return start + need > l3len;
    }

    /** nf_ct_frag6_reasm. */
    private int reassemble(int q, PacketBuffer pkt, PacketBuffer out, FragMeta meta) {
        int ecn = FragQueueTable.ecnOf(t.qEcn[q]);
        int fhoff = t.qHdr[q];
        int payloadLen = fhoff - Ipv6View.HEADER_LEN + t.qLen[q];
        int l2 = t.qL2[q];
        int total = l2 + Ipv6View.HEADER_LEN + payloadLen;
        if (ecn == 0xff || payloadLen > 0xffff || total > out.capacity() - out.headroom()) {
            reasmFails++;
            t.free(q);
            return DefragResult.REASM_FAILED;
        }
        int ifindex = pkt.ifindex;
        long stamp = pkt.timestamp;
        out.set(out.headroom(), total);
        MemorySegment o = out.segment();
        long base = out.headroom();
        int head = t.qHead[q];
        t.copyOut(head, 0, o, base, l2 + fhoff);
        long p = base + l2 + fhoff;
        t.copyPayload(head, o, p);
        p += t.fLen[head];
        int n = 0;
        for (int f = t.fNext[head]; f >= 0; f = t.fNext[f]) {
            t.copyPayload(f, o, p);
            p += t.fLen[f];
            meta.pieceLen[n++] = t.fLen[f];
        }
        long l3 = base + l2;
        Bytes.setU8(o, l3 + t.qNhOff[q], t.qNext[q]);
        ip.wrap(o, l3);
        ip.payloadLength(payloadLen);
        ip.trafficClass(ip.trafficClass() | ecn);
        meta.reassembled = true;
        meta.fragMaxSize = Ipv6View.HEADER_LEN + t.qMaxSize[q];
        meta.pmtu = false;
        meta.id = t.qId[q];
        meta.fragments = n + 1;
        meta.firstLen = fhoff + t.fLen[head];
        out.ifindex = ifindex;
        out.timestamp = stamp;
        reasmOks++;
        t.free(q);
        return DefragResult.REASSEMBLED;
    }

    /** The earliest queue deadline, or Long.MAX_VALUE. */
    public long nextDeadline() {
        return t.nextDeadline();
    }

    /**
     * Expires every queue due at or before {@code now} (ip6frag_expire_frag_queue): the head fragment, when
     * it arrived, goes to {@link DefragEvents#reassemblyTimeout} (Linux sends ICMPv6 time exceeded code 1
     * for it, forwarded traffic included); returns the number of fragments dropped (FRAG_REASM_TIMEOUT).
     */
    public int expire(long now) {
        int total = 0;
        for (int q = t.due(now); q >= 0; q = t.due(now)) {
            reasmFails++;
            reasmTimeout++;
            int iif = t.qIif[q];
            int n = t.qCount[q];
            if ((t.qFlags[q] & FragQueueTable.FIRST_IN) != 0 && t.qHead[q] >= 0) {
                int head = t.qHead[q];
                int l2 = t.qL2[q];
                int len = t.storedLength(head) - l2;
                t.copyOut(head, l2, scratch, HEADROOM, len);
                events.reassemblyTimeout(t.qUser[q], iif, scratch, HEADROOM, len);
            }
            if (n > 0) {
                events.fragmentsDropped(iif, DefragResult.TIMEOUT, n);
            }
            total += n;
            t.free(q);
        }
        return total;
    }

    public long memory() {
        return t.mem;
    }

    public int queues() {
        return t.queueCount;
    }

    /** /proc/net/snmp6 Ip6ReasmReqds. */
    public long reasmReqds() {
        return reasmReqds;
    }

    public long reasmOks() {
        return reasmOks;
    }

    public long reasmFails() {
        return reasmFails;
    }

    public long reasmTimeout() {
        return reasmTimeout;
    }
}
