package org.jnft.pipeline;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The family-independent half of Linux's inet_fragment.c, on preallocated pools: fragment queues found by
 * a key of six longs, their timers (one deadline per queue, armed at creation as inet_frag_create does),
 * the sorted fragment list with Linux's "runs" (inet_frag_queue_insert: a fragment inside a run of
 * contiguous fragments is a duplicate, any other intersection an overlap), and the memory accounting
 * that {@code high_thresh} limits.
 *
 * <h2>Memory accounting</h2>
 * Linux charges each queue {@code sizeof(struct ipq)} / {@code sizeof(struct frag_queue)} (about 200
 * bytes on x86-64; {@code queueCost} here) and each queued fragment its {@code skb->truesize}, which
 * depends on the driver. We charge {@link #truesize(int)}: the frame length plus NET_SKB_PAD rounded up to
 * 64 (SKB_DATA_ALIGN), plus 576 bytes of {@code struct sk_buff} and {@code struct skb_shared_info}, what a
 * linear skb from {@code netdev_alloc_skb} costs. As in inet_frag_find (since Linux 4.17), while the
 * charge is above {@code high_thresh} no queue can be found or made, so every fragment is refused until
 * completions or expiries bring it back down; {@code low_thresh} no longer evicts anything.
 *
 * <h2>Pools</h2>
 * Because nothing is queued above {@code high_thresh}, the charge never exceeds {@code high_thresh} plus
 * one queue and one 64 KiB fragment; the pools are sized from that bound, so a queue, a fragment record
 * and data blocks are always available when the accounting admits a fragment. Fragment bytes live in
 * 256-byte blocks of one native arena (a fragment wastes less than a block, and its charge includes 576
 * bytes of overhead, so the blocks never run out first). Nothing allocates after construction.
 */
final class FragQueueTable {
    static final int FIRST_IN = 1;
    static final int LAST_IN = 2;

    static final int INSERT_OK = 0;
    static final int INSERT_DUP = 1;
    static final int INSERT_OVERLAP = 2;

    private static final int MODE_NEW_RUN_END = 0;
    private static final int MODE_APPEND_RUN = 1;
    private static final int MODE_MIDDLE = 2;

    static final int BLOCK_SHIFT = 8;
    static final int BLOCK = 1 << BLOCK_SHIFT;
    /** SKB_DATA_ALIGN(sizeof(struct sk_buff)) + SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) on x86-64. */
    static final int SKB_OVERHEAD = 256 + 320;
    static final int NET_SKB_PAD = 64;

    /** The truesize charged for a received frame of {@code frameLen} bytes. */
    static int truesize(int frameLen) {
        return SKB_OVERHEAD + ((frameLen + NET_SKB_PAD + 63) & ~63);
    }

    final long highThresh;
    final long timeoutNanos;
    final int queueCost;
    /** Bytes charged now (frag_mem_limit). */
    long mem;
    int queueCount;

    private final MemorySegment arena;
    private final int[] blockNext;
    private final int[] blockFree;
    private int blockFreeTop;

    // Fragment records.
    final int[] fOff;
    final int[] fLen;
    private final int[] fPrefix;
    private final int[] fBlock;
    final int[] fNext;
    /** For a run head, the end of its run; -1 for other fragments. */
    private final int[] fRunEnd;
    private final int[] fTrue;
    private final int[] fragFree;
    private int fragFreeTop;

    // Queues.
    private final long[] k0;
    private final long[] k1;
    private final long[] k2;
    private final long[] k3;
    private final long[] k4;
    private final long[] k5;
    final int[] qFlags;
    final int[] qLen;
    final int[] qMeat;
    final int[] qHead;
    final int[] qTail;
    private final int[] qLastRun;
    final int[] qCount;
    final int[] qIif;
    final int[] qMaxSize;
    final int[] qMaxDfSize;
    final int[] qEcn;
    final int[] qUser;
    final int[] qRid;
    final int[] qPeer;
    /** Family use: the head's link-layer header length. */
    final int[] qL2;
    /** Family use: IPv4 the head's IHL*4; IPv6 the head's fragment header offset. */
    final int[] qHdr;
    /** Family use: IPv6 offset of the next-header byte to fix (nhoffset). */
    final int[] qNhOff;
    /** Family use: IPv6 the head's fragment header next header. */
    final int[] qNext;
    /** Family use: the identification. */
    final int[] qId;
    private final long[] qDeadline;
    private final int[] qHashNext;
    private final int[] qTimerPrev;
    private final int[] qTimerNext;
    private final int[] buckets;
    private final int mask;
    private final int[] queueFree;
    private int queueFreeTop;
    private int timerHead = -1;
    private int timerTail = -1;

    private int planPrev;
    private int planMode;

    FragQueueTable(long highThresh, long timeoutNanos, int queueCost) {
        this.highThresh = highThresh;
        this.timeoutNanos = timeoutNanos;
        this.queueCost = queueCost;
        long maxMem = Math.max(0, highThresh) + truesize(65536 + 64) + queueCost;
        int blocks = (int) Math.min(Integer.MAX_VALUE / 2, (maxMem >> BLOCK_SHIFT) + 2);
        int frags = (int) Math.min(Integer.MAX_VALUE / 2, maxMem / truesize(0) + 2);
        int queues = (int) Math.min(Integer.MAX_VALUE / 4, maxMem / queueCost + 2);
        arena = Arena.ofAuto().allocate((long) blocks << BLOCK_SHIFT, 64);
        blockNext = new int[blocks];
        blockFree = new int[blocks];
        for (int i = 0; i < blocks; i++) {
            blockFree[i] = blocks - 1 - i;
        }
        blockFreeTop = blocks;
        fOff = new int[frags];
        fLen = new int[frags];
        fPrefix = new int[frags];
        fBlock = new int[frags];
        fNext = new int[frags];
        fRunEnd = new int[frags];
        fTrue = new int[frags];
        fragFree = new int[frags];
        for (int i = 0; i < frags; i++) {
            fragFree[i] = frags - 1 - i;
        }
        fragFreeTop = frags;
        k0 = new long[queues];
        k1 = new long[queues];
        k2 = new long[queues];
        k3 = new long[queues];
        k4 = new long[queues];
        k5 = new long[queues];
        qFlags = new int[queues];
        qLen = new int[queues];
        qMeat = new int[queues];
        qHead = new int[queues];
        qTail = new int[queues];
        qLastRun = new int[queues];
        qCount = new int[queues];
        qIif = new int[queues];
        qMaxSize = new int[queues];
        qMaxDfSize = new int[queues];
        qEcn = new int[queues];
        qUser = new int[queues];
        qRid = new int[queues];
        qPeer = new int[queues];
        qL2 = new int[queues];
        qHdr = new int[queues];
        qNhOff = new int[queues];
        qNext = new int[queues];
        qId = new int[queues];
        qDeadline = new long[queues];
        qHashNext = new int[queues];
        qTimerPrev = new int[queues];
        qTimerNext = new int[queues];
        int nb = Integer.highestOneBit(Math.max(16, queues)) << 1;
        buckets = new int[nb];
        java.util.Arrays.fill(buckets, -1);
        mask = nb - 1;
        queueFree = new int[queues];
        for (int i = 0; i < queues; i++) {
            queueFree[i] = queues - 1 - i;
        }
        queueFreeTop = queues;
    }

    /** inet_frag_find's refusal: reassembly disabled (high_thresh 0) or the charge above high_thresh. */
    boolean overLimit() {
        return highThresh <= 0 || mem > highThresh;
    }

    private static int hash(long a, long b, long c, long d, long e, long f) {
        long h = a * 0x9E3779B97F4A7C15L;
        h = (h ^ (h >>> 29) ^ b) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 31) ^ c) * 0x94D049BB133111EBL;
        h = (h ^ (h >>> 29) ^ d) * 0x9E3779B97F4A7C15L;
        h = (h ^ (h >>> 31) ^ e) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 29) ^ f) * 0x94D049BB133111EBL;
        return (int) (h ^ (h >>> 32));
    }

    /** The queue with this key, or -1. */
    int find(long a, long b, long c, long d, long e, long f) {
        for (int q = buckets[hash(a, b, c, d, e, f) & mask]; q >= 0; q = qHashNext[q]) {
            if (k0[q] == a && k1[q] == b && k2[q] == c && k3[q] == d && k4[q] == e && k5[q] == f) {
                return q;
            }
        }
        return -1;
    }

    /** Makes a queue (charged {@code queueCost}, timer armed at now + timeout), or returns -1 when none is left. */
    int create(long a, long b, long c, long d, long e, long f, long now) {
        if (queueFreeTop == 0) {
            return -1;
        }
        int q = queueFree[--queueFreeTop];
        k0[q] = a;
        k1[q] = b;
        k2[q] = c;
        k3[q] = d;
        k4[q] = e;
        k5[q] = f;
        qFlags[q] = 0;
        qLen[q] = 0;
        qMeat[q] = 0;
        qHead[q] = -1;
        qTail[q] = -1;
        qLastRun[q] = -1;
        qCount[q] = 0;
        qIif[q] = 0;
        qMaxSize[q] = 0;
        qMaxDfSize[q] = 0;
        qEcn[q] = 0;
        qUser[q] = 0;
        qRid[q] = 0;
        qPeer[q] = -1;
        qL2[q] = 0;
        qHdr[q] = 0;
        qNhOff[q] = 0;
        qNext[q] = 0;
        qId[q] = 0;
        int bucket = hash(a, b, c, d, e, f) & mask;
        qHashNext[q] = buckets[bucket];
        buckets[bucket] = q;
        qDeadline[q] = now + timeoutNanos;
        timerAppend(q);
        mem += queueCost;
        queueCount++;
        return q;
    }

    private void timerAppend(int q) {
        qTimerPrev[q] = timerTail;
        qTimerNext[q] = -1;
        if (timerTail >= 0) {
            qTimerNext[timerTail] = q;
        } else {
            timerHead = q;
        }
        timerTail = q;
    }

    private void timerUnlink(int q) {
        int p = qTimerPrev[q];
        int n = qTimerNext[q];
        if (p >= 0) {
            qTimerNext[p] = n;
        } else {
            timerHead = n;
        }
        if (n >= 0) {
            qTimerPrev[n] = p;
        } else {
            timerTail = p;
        }
    }

    /** mod_timer(now + timeout): every deadline is creation/re-arm time + the same timeout, so the list stays sorted. */
    void rearm(int q, long now) {
        timerUnlink(q);
        qDeadline[q] = now + timeoutNanos;
        timerAppend(q);
    }

    /** The earliest deadline, or Long.MAX_VALUE. */
    long nextDeadline() {
        return timerHead < 0 ? Long.MAX_VALUE : qDeadline[timerHead];
    }

    /** The queue whose deadline is the earliest if it is at or before {@code now}, else -1. */
    int due(long now) {
        return timerHead >= 0 && qDeadline[timerHead] <= now ? timerHead : -1;
    }

    /** Frees every fragment of {@code q} (uncharging them) and empties its list; returns how many there were. */
    int purge(int q) {
        int n = 0;
        int f = qHead[q];
        while (f >= 0) {
            int next = fNext[f];
            freeFragment(f);
            n++;
            f = next;
        }
        qHead[q] = -1;
        qTail[q] = -1;
        qLastRun[q] = -1;
        qCount[q] = 0;
        return n;
    }

    /** Destroys {@code q}: fragments, hash entry, timer, charge. Returns the number of fragments freed. */
    int free(int q) {
        int n = purge(q);
        int bucket = hash(k0[q], k1[q], k2[q], k3[q], k4[q], k5[q]) & mask;
        int prev = -1;
        for (int x = buckets[bucket]; x >= 0; x = qHashNext[x]) {
            if (x == q) {
                if (prev < 0) {
                    buckets[bucket] = qHashNext[x];
                } else {
                    qHashNext[prev] = qHashNext[x];
                }
                break;
            }
            prev = x;
        }
        timerUnlink(q);
        mem -= queueCost;
        queueCount--;
        queueFree[queueFreeTop++] = q;
        return n;
    }

    /**
     * inet_frag_queue_insert's decision for [offset, end): {@link #INSERT_OK} (the position is remembered
     * for {@link #link}), {@link #INSERT_DUP} when it lies inside one run, {@link #INSERT_OVERLAP} otherwise.
     */
    int plan(int q, int offset, int end) {
        int last = qTail[q];
        if (last < 0) {
            planMode = MODE_NEW_RUN_END;
            planPrev = -1;
            return INSERT_OK;
        }
        int lastEnd = fOff[last] + fLen[last];
        if (lastEnd < end) {
            if (offset < lastEnd) {
                return INSERT_OVERLAP;
            }
            planMode = offset == lastEnd ? MODE_APPEND_RUN : MODE_NEW_RUN_END;
            planPrev = last;
            return INSERT_OK;
        }
        int prev = -1;
        for (int f = qHead[q]; f >= 0; f = fNext[f]) {
            int runEnd = fRunEnd[f];
            if (runEnd >= 0) {
                int runStart = fOff[f];
                if (end <= runStart) {
                    planMode = MODE_MIDDLE;
                    planPrev = prev;
                    return INSERT_OK;
                }
                if (offset < runEnd) {
                    return offset >= runStart && end <= runEnd ? INSERT_DUP : INSERT_OVERLAP;
                }
            }
            prev = f;
        }
        return INSERT_OVERLAP; // unreachable: end <= lastEnd and no run intersects would mean offset >= end
    }

    /**
     * Stores {@code prefixLen + payLen} contiguous bytes of {@code src} from {@code from} (a prefix kept
     * only for first fragments: link-layer and IP headers, then the payload), charging {@code truesize}.
     * Returns the fragment, or -1 when the pools are empty (cannot happen within the accounting).
     */
    int store(MemorySegment src, long from, int prefixLen, int payLen, int truesize) {
        int bytes = prefixLen + payLen;
        int nblocks = (bytes + BLOCK - 1) >> BLOCK_SHIFT;
        if (fragFreeTop == 0 || blockFreeTop < nblocks) {
            return -1;
        }
        int f = fragFree[--fragFreeTop];
        int first = -1;
        int prev = -1;
        for (int i = 0; i < nblocks; i++) {
            int b = blockFree[--blockFreeTop];
            blockNext[b] = -1;
            if (prev < 0) {
                first = b;
            } else {
                blockNext[prev] = b;
            }
            prev = b;
        }
        fBlock[f] = first;
        fPrefix[f] = prefixLen;
        fLen[f] = payLen;
        fTrue[f] = truesize;
        fNext[f] = -1;
        fRunEnd[f] = -1;
        int b = first;
        long off = from;
        int left = bytes;
        while (left > 0) {
            int k = Math.min(left, BLOCK);
            MemorySegment.copy(src, off, arena, (long) b << BLOCK_SHIFT, k);
            off += k;
            left -= k;
            b = blockNext[b];
        }
        mem += truesize;
        return f;
    }

    /** Links a stored fragment where {@link #plan} decided. */
    void link(int q, int f, int offset, int end) {
        fOff[f] = offset;
        switch (planMode) {
            case MODE_NEW_RUN_END -> {
                fRunEnd[f] = end;
                appendTail(q, f);
                qLastRun[q] = f;
            }
            case MODE_APPEND_RUN -> {
                fRunEnd[qLastRun[q]] = end;
                appendTail(q, f);
            }
            default -> {
                fRunEnd[f] = end;
                if (planPrev < 0) {
                    fNext[f] = qHead[q];
                    qHead[q] = f;
                } else {
                    fNext[f] = fNext[planPrev];
                    fNext[planPrev] = f;
                }
            }
        }
        qCount[q]++;
    }

    private void appendTail(int q, int f) {
        fNext[f] = -1;
        int t = qTail[q];
        if (t < 0) {
            qHead[q] = f;
        } else {
            fNext[t] = f;
        }
        qTail[q] = f;
    }

    private void freeFragment(int f) {
        int b = fBlock[f];
        while (b >= 0) {
            int next = blockNext[b];
            blockFree[blockFreeTop++] = b;
            b = next;
        }
        mem -= fTrue[f];
        fragFree[fragFreeTop++] = f;
    }

    /** Bytes stored for fragment {@code f}: its prefix (first fragments) then its payload. */
    int storedLength(int f) {
        return fPrefix[f] + fLen[f];
    }

    /** Copies {@code n} stored bytes of {@code f} from position {@code pos} (0 = start of the prefix). */
    void copyOut(int f, int pos, MemorySegment dst, long dstOff, int n) {
        int b = fBlock[f];
        for (int skip = pos >> BLOCK_SHIFT; skip > 0; skip--) {
            b = blockNext[b];
        }
        int in = pos & (BLOCK - 1);
        while (n > 0) {
            int k = Math.min(n, BLOCK - in);
            MemorySegment.copy(arena, ((long) b << BLOCK_SHIFT) + in, dst, dstOff, k);
            n -= k;
            dstOff += k;
            in = 0;
            b = blockNext[b];
        }
    }

    /** Copies the payload of {@code f} (its bytes after the prefix). */
    void copyPayload(int f, MemorySegment dst, long dstOff) {
        copyOut(f, fPrefix[f], dst, dstOff, fLen[f]);
    }

    /** RFC 3168 5.3 as ip_frag_ecn_table: the ECN codepoint to OR into the header, or 0xff to drop. */
    static int ecnOf(int ecnBits) {
        // bits: 1 NOT-ECT, 2 ECT(1), 4 ECT(0), 8 CE (1 << (tos & 3))
        if ((ecnBits & 1) != 0 && (ecnBits & 0xe) != 0) {
            return 0xff;
        }
        if ((ecnBits & 8) != 0 && (ecnBits & 6) != 0) {
            return 3;
        }
        return 0;
    }
}
