package org.jnft.pipeline;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.jnft.packet.Ipv4View;
import org.jnft.packet.PacketBuffer;
import org.jnft.packet.PacketInfo;

/**
 * IPv4 reassembly as conntrack's defrag hook does it (nf_defrag_ipv4 -> ip_defrag with
 * IP_DEFRAG_CONNTRACK_IN/OUT + zone; net/ipv4/ip_fragment.c, inet_fragment.c), on preallocated pools.
 *
 * <ul>
 *   <li>Queues are keyed by (source, destination, id, protocol, user, vif); vif is the L3 master device
 *       (VRF), 0 here: the input device is not part of the key.</li>
 *   <li>Limits: {@code net.ipv4.ipfrag_high_thresh} (4 MiB; see {@link FragQueueTable} for the accounting),
 *       {@code ipfrag_time} (30 s from the queue's creation, not refreshed by later fragments),
 *       {@code ipfrag_max_dist} (64: when more than that many fragments from the same source arrived since
 *       this queue's previous fragment, the queue restarts empty, its fragments dropped as FRAG_TOO_FAR).</li>
 *   <li>Checks as ip_frag_queue: a last fragment must not end before queued data nor disagree with an earlier
 *       last fragment, more-fragments fragments are cut to a multiple of 8 and must not reach past a known
 *       end, and must carry data; any of these discards the whole queue. Overlaps (RFC 5722) discard the
 *       whole queue; a fragment inside an already received run is a duplicate (DUP_FRAG), the queue kept.</li>
 *   <li>Reassembly: the datagram (link-layer header and IP header of the offset-0 fragment, then every
 *       payload) written contiguously into the caller's buffer; total length set, fragment field cleared
 *       (DF set when the largest fragment had DF: IPSKB_FRAG_PMTU), ECN combined per RFC 3168, checksum
 *       recomputed; longer than 65535 bytes fails. frag_max_size, DF and the fragment geometry go to a
 *       {@link FragMeta} for {@link Ipv4Refragmenter}.</li>
 * </ul>
 * One thread; no locks; nothing allocates after construction.
 */
public final class Ipv4Defrag {
    /** Linux's enum ip_defrag_users: IP_DEFRAG_CONNTRACK_IN (+ zone id) at prerouting. */
    public static final int USER_CONNTRACK_IN = 2;
    /** IP_DEFRAG_CONNTRACK_OUT (+ zone id) at output. */
    public static final int USER_CONNTRACK_OUT = USER_CONNTRACK_IN + 0xffff + 1;

    /** Linux defaults: ipfrag_high_thresh 4 MiB, ipfrag_low_thresh 3 MiB, ipfrag_time 30 s, ipfrag_max_dist 64. */
    public static final long DEFAULT_HIGH_THRESH = 4L * 1024 * 1024;
    public static final long DEFAULT_LOW_THRESH = 3L * 1024 * 1024;
    public static final int DEFAULT_TIME_SECONDS = 30;
    public static final int DEFAULT_MAX_DIST = 64;
    /** Approximately sizeof(struct ipq) on x86-64. */
    static final int QUEUE_COST = 200;

    private static final int HEADROOM = Ipv4Refragmenter.HEADROOM;

    private final FragQueueTable t;
    private final int maxDist;
    private final DefragEvents events;
    private final Ipv4View ip = new Ipv4View();
    private final MemorySegment scratch = Arena.ofAuto().allocate(HEADROOM + 65536, 64);

    // inet_peer: per-source fragment counters (rid) for ipfrag_max_dist; an entry lives while queues use it.
    private final int[] peerAddr;
    private final int[] peerRid;
    private final int[] peerRef;
    private final int[] peerNext;
    private final int[] peerBuckets;
    private final int peerMask;
    private final int[] peerFree;
    private int peerFreeTop;

    private long reasmReqds;
    private long reasmOks;
    private long reasmFails;
    private long reasmTimeout;
    private long reasmOverlaps;

    /** Linux defaults. */
    public Ipv4Defrag(DefragEvents events) {
        this(DEFAULT_HIGH_THRESH, DEFAULT_TIME_SECONDS * 1_000_000_000L, DEFAULT_MAX_DIST, events);
    }

    /**
     * @param highThresh   ipfrag_high_thresh in bytes (0 disables reassembly: every fragment is refused)
     * @param timeoutNanos ipfrag_time
     * @param maxDist      ipfrag_max_dist (0 disables the check)
     */
    public Ipv4Defrag(long highThresh, long timeoutNanos, int maxDist, DefragEvents events) {
        this.t = new FragQueueTable(highThresh, timeoutNanos, QUEUE_COST);
        this.maxDist = maxDist;
        this.events = events == null ? DefragEvents.NONE : events;
        int n = t.qFlags.length;
        peerAddr = new int[n];
        peerRid = new int[n];
        peerRef = new int[n];
        peerNext = new int[n];
        int nb = Integer.highestOneBit(Math.max(16, n)) << 1;
        peerBuckets = new int[nb];
        java.util.Arrays.fill(peerBuckets, -1);
        peerMask = nb - 1;
        peerFree = new int[n];
        for (int i = 0; i < n; i++) {
            peerFree[i] = n - 1 - i;
        }
        peerFreeTop = n;
    }

    /** Reads the knobs from {@link Sysctl} (keys listed in the report / docs/KNOBS.md). */
    public static Ipv4Defrag fromSysctl(Sysctl s, DefragEvents events) {
        return new Ipv4Defrag(s.get("net.ipv4.ipfrag_high_thresh"),
                s.get("net.ipv4.ipfrag_time") * 1_000_000_000L,
                s.getInt("net.ipv4.ipfrag_max_dist"), events);
    }

    /** The conntrack defrag user for a hook: {@code output} false for prerouting. */
    public static int user(boolean output, int zone) {
        return (output ? USER_CONNTRACK_OUT : USER_CONNTRACK_IN) + (zone & 0xffff);
    }

    /**
     * frag_expire_skip_icmp: for conntrack's prerouting user (and AF_PACKET, bridge) an expired queue sends
     * ICMP "fragment reassembly time exceeded" only when the first fragment's destination is local.
     * (Its output user, IP_DEFRAG_CONNTRACK_OUT, is not in the list: Linux sends it regardless.)
     */
    public static boolean expireSkipsIcmp(int user) {
        return user >= USER_CONNTRACK_IN && user < USER_CONNTRACK_OUT;
    }

    /**
     * ip_defrag for the IPv4 packet {@code pi} describes in {@code pkt} (already through ip_rcv_core's
     * checks; offsets absolute, as PacketParser leaves them). Timers due at {@code now} fire first.
     *
     * @param user ipv4 defrag user, {@link #user(boolean, int)}
     * @param out  where a reassembled frame goes (link-layer header of the first fragment, then the
     *             datagram), at its headroom; may be {@code pkt} itself. {@code out.ifindex} and
     *             {@code out.timestamp} are the completing fragment's.
     * @param meta filled (and marked reassembled) on {@link DefragResult#REASSEMBLED}, untouched otherwise
     * @return a {@link DefragResult} verdict
     */
    public int gather(PacketBuffer pkt, PacketInfo pi, int user, long now, PacketBuffer out, FragMeta meta) {
        if (!pi.isIpv4() || !pi.fragment) {
            return DefragResult.ACCEPT;
        }
        expire(now);
        reasmReqds++;
        if (t.overLimit()) {
            reasmFails++;
            return DefragResult.NOMEM;
        }
        MemorySegment seg = pkt.segment();
        long l3 = pi.l3Offset;
        ip.wrap(seg, l3);
        int src = ip.src();
        int id = ip.id();
        long a = ((long) src << 32) | (ip.dst() & 0xffff_ffffL);
        long b = ((long) user << 32) | ((long) id << 8) | ip.protocol();
        int q = t.find(a, b, 0, 0, 0, 0);
        if (q < 0) {
            q = t.create(a, b, 0, 0, 0, 0, now);
            if (q < 0) {
                reasmFails++;
                return DefragResult.NOMEM;
            }
            t.qUser[q] = user;
            t.qId[q] = id;
            t.qPeer[q] = maxDist > 0 ? peerGet(src) : -1;
        }
        int peer = t.qPeer[q];
        if (peer >= 0) {
            int start = t.qRid[q];
            int end = ++peerRid[peer];
            t.qRid[q] = end;
            if (t.qTail[q] >= 0 && Integer.compareUnsigned(end - start, maxDist) > 0) {
                reasmFails++;
                int iif = t.qIif[q];
                int n = t.purge(q);
                t.qFlags[q] = 0;
                t.qLen[q] = 0;
                t.qMeat[q] = 0;
                t.qIif[q] = 0;
                t.qEcn[q] = 0;
                t.rearm(q, now);
                events.fragmentsDropped(iif, DefragResult.TOO_FAR, n);
            }
        }
        int ecn = 1 << (ip.tos() & 3);
        int frag = ip.fragField();
        int offset = (frag & Ipv4View.OFFSET_MASK) << 3;
        boolean mf = (frag & Ipv4View.FLAG_MF) != 0;
        int ihl = ip.headerLength();
        int end = offset + pi.l3Length - ihl;
        if (!mf) {
            if (end < t.qLen[q] || ((t.qFlags[q] & FragQueueTable.LAST_IN) != 0 && end != t.qLen[q])) {
                return discard(q, DefragResult.INVALID);
            }
            t.qFlags[q] |= FragQueueTable.LAST_IN;
            t.qLen[q] = end;
        } else {
            end &= ~7;
            if (end > t.qLen[q]) {
                if ((t.qFlags[q] & FragQueueTable.LAST_IN) != 0) {
                    return discard(q, DefragResult.INVALID);
                }
                t.qLen[q] = end;
            }
        }
        if (end == offset) {
            return discard(q, DefragResult.INVALID);
        }
        int r = t.plan(q, offset, end);
        if (r == FragQueueTable.INSERT_DUP) {
            return DefragResult.DUP;
        }
        if (r == FragQueueTable.INSERT_OVERLAP) {
            reasmOverlaps++;
            return discard(q, DefragResult.OVERLAP);
        }
        int payLen = end - offset;
        int l2 = (int) (l3 - pkt.offset());
        int f = offset == 0
                ? t.store(seg, pkt.offset(), l2 + ihl, payLen, FragQueueTable.truesize(pkt.length()))
                : t.store(seg, l3 + ihl, 0, payLen, FragQueueTable.truesize(pkt.length()));
        if (f < 0) {
            reasmFails++;
            return DefragResult.NOMEM;
        }
        t.link(q, f, offset, end);
        t.qIif[q] = pkt.ifindex;
        t.qMeat[q] += payLen;
        t.qEcn[q] |= ecn;
        if (offset == 0) {
            t.qFlags[q] |= FragQueueTable.FIRST_IN;
            t.qL2[q] = l2;
            t.qHdr[q] = ihl;
        }
        int fragsize = payLen + ihl;
        if (fragsize > t.qMaxSize[q]) {
            t.qMaxSize[q] = fragsize;
        }
        if ((frag & Ipv4View.FLAG_DF) != 0 && fragsize > t.qMaxDfSize[q]) {
            t.qMaxDfSize[q] = fragsize;
        }
        if (t.qFlags[q] == (FragQueueTable.FIRST_IN | FragQueueTable.LAST_IN) && t.qMeat[q] == t.qLen[q]) {
            return reassemble(q, pkt, out, meta);
        }
        return DefragResult.QUEUED;
    }

    /** discard_qp: the queue is killed (its fragments consumed), the fragment at hand dropped. */
    private int discard(int q, int code) {
        reasmFails++;
        freeQueue(q);
        return code;
    }

    private void freeQueue(int q) {
        int p = t.qPeer[q];
        if (p >= 0) {
            peerPut(p);
        }
        t.free(q);
    }

    /** ip_frag_reasm. */
    private int reassemble(int q, PacketBuffer pkt, PacketBuffer out, FragMeta meta) {
        int ecn = FragQueueTable.ecnOf(t.qEcn[q]);
        int ihl = t.qHdr[q];
        int len = ihl + t.qLen[q];
        int l2 = t.qL2[q];
        if (ecn == 0xff || len > 0xffff || l2 + len > out.capacity() - out.headroom()) {
            reasmFails++;
            freeQueue(q);
            return DefragResult.REASM_FAILED;
        }
        int ifindex = pkt.ifindex;
        long stamp = pkt.timestamp;
        out.set(out.headroom(), l2 + len);
        MemorySegment o = out.segment();
        long p = out.headroom();
        int head = t.qHead[q];
        int headBytes = t.storedLength(head);
        t.copyOut(head, 0, o, p, headBytes);
        p += headBytes;
        int n = 0;
        for (int f = t.fNext[head]; f >= 0; f = t.fNext[f]) {
            t.copyPayload(f, o, p);
            p += t.fLen[f];
            meta.pieceLen[n++] = t.fLen[f];
        }
        boolean pmtu = t.qMaxDfSize[q] == t.qMaxSize[q];
        ip.wrap(o, out.headroom() + l2);
        ip.totalLength(len);
        ip.tos(ip.tos() | ecn);
        ip.fragField(pmtu ? Ipv4View.FLAG_DF : 0);
        ip.fillChecksum();
        meta.reassembled = true;
        meta.fragMaxSize = Math.max(t.qMaxDfSize[q], t.qMaxSize[q]);
        meta.pmtu = pmtu;
        meta.id = t.qId[q];
        meta.fragments = n + 1;
        meta.firstLen = ihl + t.fLen[head];
        out.ifindex = ifindex;
        out.timestamp = stamp;
        reasmOks++;
        freeQueue(q);
        return DefragResult.REASSEMBLED;
    }

    /** The earliest queue deadline on the engine clock, or Long.MAX_VALUE when no queue exists. */
    public long nextDeadline() {
        return t.nextDeadline();
    }

    /**
     * Expires every queue whose deadline is at or before {@code now} (ip_expire): reports the head fragment
     * for the ICMP error and the dropped fragments through {@link DefragEvents}; returns how many fragments
     * were dropped (FRAG_REASM_TIMEOUT).
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
            freeQueue(q);
        }
        return total;
    }

    private int peerHash(int addr) {
        int h = addr * 0x9E3779B9;
        return (h ^ (h >>> 16)) & peerMask;
    }

    /** inet_getpeer_v4(create=1): -1 when the pool is empty (then no max_dist check, as with a NULL peer). */
    private int peerGet(int addr) {
        int bucket = peerHash(addr);
        for (int p = peerBuckets[bucket]; p >= 0; p = peerNext[p]) {
            if (peerAddr[p] == addr) {
                peerRef[p]++;
                return p;
            }
        }
        if (peerFreeTop == 0) {
            return -1;
        }
        int p = peerFree[--peerFreeTop];
        peerAddr[p] = addr;
        peerRid[p] = 0;
        peerRef[p] = 1;
        peerNext[p] = peerBuckets[bucket];
        peerBuckets[bucket] = p;
        return p;
    }

    /**
     * Drops a queue's reference. A peer nobody uses is forgotten (Linux keeps it in its cache a while, but
     * only differences of its counter between a queue's fragments matter, so nothing observable changes).
     */
    private void peerPut(int p) {
        if (--peerRef[p] > 0) {
            return;
        }
        int bucket = peerHash(peerAddr[p]);
        int prev = -1;
        for (int x = peerBuckets[bucket]; x >= 0; x = peerNext[x]) {
            if (x == p) {
                if (prev < 0) {
                    peerBuckets[bucket] = peerNext[x];
                } else {
                    peerNext[prev] = peerNext[x];
                }
                break;
            }
            prev = x;
        }
        peerFree[peerFreeTop++] = p;
    }

    /** Bytes charged to reassembly now (frag_mem_limit). */
    public long memory() {
        return t.mem;
    }

    /** Queues in existence. */
    public int queues() {
        return t.queueCount;
    }

    /** /proc/net/snmp Ip: ReasmReqds (fragments handed to reassembly). */
    public long reasmReqds() {
        return reasmReqds;
    }

    /** Ip: ReasmOKs. */
    public long reasmOks() {
        return reasmOks;
    }

    /** Ip: ReasmFails. */
    public long reasmFails() {
        return reasmFails;
    }

    /** Ip: ReasmTimeout. */
    public long reasmTimeout() {
        return reasmTimeout;
    }

    /** Ip: ReasmOverlaps. */
    public long reasmOverlaps() {
        return reasmOverlaps;
    }
}
