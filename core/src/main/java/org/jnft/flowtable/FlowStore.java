package org.jnft.flowtable;

import java.util.Arrays;
import org.jnft.conntrack.CtEntry;

/**
 * The flows of one flowtable and one address family: fixed-size records in one {@code int[]}, both
 * directions of a flow in one record, and an open-addressing index holding each direction once (the
 * kernel's rhashtable of {@code flow_offload_tuple_rhash}, two per flow). Single writer: the data-plane
 * thread that owns the router. Lookups allocate nothing.
 *
 * <p>Record layout in ints, W = ints per address (1 for IPv4, 4 for IPv6), direction d = 0 (ORIGINAL) or 1
 * (REPLY), P = 4W:
 * <pre>
 *  0        +--------------------------------------------+
 *           | src[d] (W) | dst[d] (W)  ... for d = 0, 1   |  the conntrack tuples: ORIGINAL, then REPLY
 *  P        | ports[d]: sport &lt;&lt; 16 | dport (x 2)        |
 *  P+2      | iif[d]  (x 2)                              |  input device of direction d (the key)
 *  P+4      | oif[d]  (x 2)                              |  output device of direction d
 *  P+6      | mac[d]  (2 ints each, high word first)     |  next hop's MAC for direction d
 *  P+10     | deadline (2 ints, ns on the engine clock)  |
 *  P+12     | mtu[0] | mtu[1] &lt;&lt; 16                     |
 *  P+13     | proto | flags &lt;&lt; 8                         |
 *  P+14     | fib generation                             |
 *  P+15     | nexthop[d] (W x 2)                         |  gateway, or the destination after NAT
 *  6W+15    +--------------------------------------------+
 * </pre>
 * 84 bytes for IPv4, 156 for IPv6. IPv4 addresses are stored as ints, IPv6 ones as two longs (hi, lo) of two
 * ints each, high word first. A primitive array rather than off-heap memory: the garbage collector never
 * scans it (it holds no references), and plain array indexing keeps the fast path small enough for the JIT
 * to inline whole (a MemorySegment access costs it dozens of nodes and a few checks more).
 */
public final class FlowStore {
    public static final int F_SNAT = 1;
    public static final int F_DNAT = 2;
    public static final int F_CLOSING = 4;

    /** Bytes per address: 4 for IPv4, 16 for IPv6. */
    final int a;
    /** Ints per address. */
    private final int w;
    /** Ints per record. */
    final int recInts;
    private final int oPorts;
    private final int oIif;
    private final int oOif;
    private final int oMac;
    private final int oDeadline;
    private final int oMtu;
    private final int oProto;
    private final int oFibGen;
    private final int oNexthop;
    private final int seed;

    private int[] recs;
    private CtEntry[] cts;
    /** Free record ids, a stack. */
    private int[] free;
    private int freeTop;
    private int capacity;
    private int count;
    /**
     * Index slots: the high bits of the tuple's hash above {@link #refMask} (a tag), and below them
     * {@code (id << 1 | dir) + 1}; 0 = empty. Length a power of two, at most half full. A probe compares tags
     * before it reads a record: in a big table every record read is a cache miss.
     */
    private int[] slots;
    private int mask;
    private int refMask;

    public FlowStore(boolean ipv6, int initialCapacity, int seed) {
        this.a = ipv6 ? 16 : 4;
        this.w = a / 4;
        this.oPorts = 4 * w;
        this.oIif = oPorts + 2;
        this.oOif = oPorts + 4;
        this.oMac = oPorts + 6;
        this.oDeadline = oPorts + 10;
        this.oMtu = oPorts + 12;
        this.oProto = oPorts + 13;
        this.oFibGen = oPorts + 14;
        this.oNexthop = oPorts + 15;
        this.recInts = oNexthop + 2 * w;
        this.seed = seed;
        allocate(Math.max(16, Integer.highestOneBit(Math.max(1, initialCapacity - 1)) << 1));
    }

    private void allocate(int cap) {
        int[] old = recs;
        CtEntry[] oldCts = cts;
        int oldCap = capacity;
        recs = new int[Math.multiplyExact(cap, recInts)];
        cts = new CtEntry[cap];
        if (old != null) {
            System.arraycopy(old, 0, recs, 0, oldCap * recInts);
            System.arraycopy(oldCts, 0, cts, 0, oldCap);
        }
        int[] nf = new int[cap];
        int top = 0;
        for (int id = cap - 1; id >= oldCap; id--) {
            nf[top++] = id;
        }
        if (free != null) {
            // ids freed before growing are all below oldCap and still free: keep them on top
            System.arraycopy(free, 0, nf, top, freeTop);
            top += freeTop;
        }
        free = nf;
        freeTop = top;
        capacity = cap;
        slots = new int[cap * 4];
        mask = slots.length - 1;
        refMask = (Integer.highestOneBit(2 * cap) << 1) - 1; // holds (id << 1 | dir) + 1 <= 2 * cap
        for (int id = 0; id < oldCap; id++) {
            if (cts[id] != null) {
                insertSlot(id, 0);
                insertSlot(id, 1);
            }
        }
    }

    public int count() {
        return count;
    }

    public boolean ipv6() {
        return a == 16;
    }

    /**
     * Bytes of memory per flow when the store is full: the record, its four index slots (two directions, the
     * index at most half full), its entry reference (compressed) and its place on the free stack.
     */
    public long bytesPerFlow() {
        return 4L * recInts + 4L * 4 + 4 + 4;
    }

    // ================================================================ allocation

    /** A fresh record id with every field zero (the caller fills it, then calls {@link #link}); grows as needed. */
    public int allocate() {
        if (freeTop == 0) {
            allocate(capacity * 2);
        }
        int id = free[--freeTop];
        Arrays.fill(recs, id * recInts, (id + 1) * recInts, 0);
        return id;
    }

    /** Indexes both directions of a filled record and binds it to its conntrack entry. */
    public void link(int id, CtEntry ct) {
        cts[id] = ct;
        count++;
        insertSlot(id, 0);
        insertSlot(id, 1);
    }

    /** Removes a flow from the index and frees its record. */
    public void remove(int id) {
        removeSlot(id, 0);
        removeSlot(id, 1);
        cts[id] = null;
        free[freeTop++] = id;
        count--;
    }

    public CtEntry ct(int id) {
        return cts[id];
    }

    /** The highest id that may be in use plus one (ids in use have a non-null {@link #ct}). */
    public int limit() {
        return capacity;
    }

    // ================================================================ hashing

    /**
     * The tuple's hash: two 64-bit multiply-xorshift rounds, over (src, dst) then (ports, proto, iif), and the
     * high half of the last product. Two dependent multiplications where four rounds of a 32-bit mixer took
     * eight (the hash was a fifth of a fast-path packet's cost). Every key bit reaches the bits the index
     * uses: the high half of a product depends on all the lower bits of its operand.
     */
    static int hash4(int seed, int src, int dst, int ports, int proto, int iif) {
        long h = ((((long) src << 32) | (dst & 0xffff_ffffL)) ^ seed) * 0x9E37_79B9_7F4A_7C15L;
        h ^= h >>> 29;
        h = (h ^ (ports & 0xffff_ffffL) ^ ((long) (proto ^ iif << 8) << 32)) * 0xBF58_476D_1CE4_E5B9L;
        return (int) (h >>> 32);
    }

    private int hash4(int src, int dst, int ports, int proto, int iif) {
        return hash4(seed, src, dst, ports, proto, iif);
    }

    private int hash6(long sh, long sl, long dh, long dl, int ports, int proto, int iif) {
        long x = sh * 0x9E3779B97F4A7C15L ^ sl;
        x = (x ^ (x >>> 29)) * 0xBF58476D1CE4E5B9L ^ dh;
        x = (x ^ (x >>> 31)) * 0x94D049BB133111EBL ^ dl;
        x ^= x >>> 32;
        return hash4((int) x, (int) (x >>> 32), ports, proto, iif);
    }

    private int hashOf(int id, int dir) {
        int r = id * recInts;
        int t = r + dir * 2 * w;
        int ports = recs[r + oPorts + dir];
        int iif = recs[r + oIif + dir];
        int proto = recs[r + oProto] & 0xff;
        if (w == 1) {
            return hash4(recs[t], recs[t + 1], ports, proto, iif);
        }
        return hash6(long2(t), long2(t + 2), long2(t + 4), long2(t + 6), ports, proto, iif);
    }

    private long long2(int at) {
        return ((long) recs[at] << 32) | (recs[at + 1] & 0xffff_ffffL);
    }

    private void long2(int at, long v) {
        recs[at] = (int) (v >>> 32);
        recs[at + 1] = (int) v;
    }

    private void insertSlot(int id, int dir) {
        int h = hashOf(id, dir);
        int i = h & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = (h & ~refMask) | (((id << 1) | dir) + 1);
    }

    /** Backward-shift deletion keeps linear probing's chains whole without tombstones. */
    private void removeSlot(int id, int dir) {
        int h = hashOf(id, dir);
        int v = (h & ~refMask) | (((id << 1) | dir) + 1);
        int i = h & mask;
        while (slots[i] != v) {
            i = (i + 1) & mask;
        }
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            int s = slots[j];
            if (s == 0) {
                break;
            }
            int ref = (s & refMask) - 1;
            int home = hashOf(ref >>> 1, ref & 1) & mask;
            // move s into the hole unless its home lies cyclically in (hole, j]
            boolean stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!stays) {
                slots[hole] = s;
                hole = j;
            }
        }
        slots[hole] = 0;
    }

    /**
     * Finds the direction whose tuple is (src, dst, ports, proto) arriving on {@code iif}: returns
     * {@code id << 1 | dir}, or -1.
     */
    public int lookup4(int src, int dst, int ports, int proto, int iif) {
        int[] sl = slots;
        int m = mask;
        int rm = refMask;
        int h = hash4(src, dst, ports, proto, iif);
        int i = h & m;
        int[] r = recs;
        int n = recInts;
        int op = oPorts;
        while (true) {
            int s = sl[i];
            if (s == 0) {
                return -1;
            }
            if (((s ^ h) & ~rm) == 0) {
                int ref = (s & rm) - 1;
                int dir = ref & 1;
                int at = (ref >>> 1) * n;
                int t = at + 2 * dir;
                if (r[t] == src && r[t + 1] == dst && r[at + op + dir] == ports && r[at + op + 2 + dir] == iif
                        && (r[at + op + 13] & 0xff) == proto) {
                    return ref;
                }
            }
            i = (i + 1) & m;
        }
    }

    /** IPv6 {@link #lookup4}. */
    public int lookup6(long sh, long sl, long dh, long dl, int ports, int proto, int iif) {
        int[] slt = slots;
        int m = mask;
        int rm = refMask;
        int h = hash6(sh, sl, dh, dl, ports, proto, iif);
        int i = h & m;
        int[] r = recs;
        int n = recInts;
        int op = oPorts;
        while (true) {
            int s = slt[i];
            if (s == 0) {
                return -1;
            }
            if (((s ^ h) & ~rm) == 0) {
                int ref = (s & rm) - 1;
                int dir = ref & 1;
                int at = (ref >>> 1) * n;
                int t = at + 8 * dir;
                if (r[t + 3] == (int) sl && r[t + 7] == (int) dl && r[at + op + dir] == ports
                        && r[at + op + 2 + dir] == iif && r[t + 2] == (int) (sl >>> 32)
                        && r[t + 6] == (int) (dl >>> 32) && r[t] == (int) (sh >>> 32) && r[t + 1] == (int) sh
                        && r[t + 4] == (int) (dh >>> 32) && r[t + 5] == (int) dh && (r[at + op + 13] & 0xff) == proto) {
                    return ref;
                }
            }
            i = (i + 1) & m;
        }
    }

    // ================================================================ prefetching a batch's lookups

    /** The hash a lookup of this IPv4 tuple starts from (for {@link #slotAt} and {@link #touch}). */
    public int hashOf4(int src, int dst, int ports, int proto, int iif) {
        return hash4(src, dst, ports, proto, iif);
    }

    /** The hash a lookup of this IPv6 tuple starts from. */
    public int hashOf6(long sh, long sl, long dh, long dl, int ports, int proto, int iif) {
        return hash6(sh, sl, dh, dl, ports, proto, iif);
    }

    /** Reads the home slot of hash {@code h}: brings its cache line in. */
    public int slotAt(int h) {
        return slots[h & mask];
    }

    /**
     * For a tuple whose hash is {@code h} (its slots read by {@link #slotAt} a moment ago, so in the cache):
     * the first slot from its home whose tag matches, and in the record that slot names the first, middle
     * and last words, which brings every cache line of the record in. Returns what those words XOR to (the
     * caller keeps it, so that the reads happen), 0 when no slot matches within 8 probes.
     */
    public int touch(int h) {
        int[] sl = slots;
        int m = mask;
        int rm = refMask;
        int i = h & m;
        for (int probes = 0; probes < 8; probes++) {
            int s = sl[i];
            if (s == 0) {
                return 0;
            }
            if (((s ^ h) & ~rm) == 0) {
                int at = (((s & rm) - 1) >>> 1) * recInts;
                int[] r = recs;
                return r[at] ^ r[at + recInts / 2] ^ r[at + recInts - 1];
            }
            i = (i + 1) & m;
        }
        return 0;
    }

    /** Word {@code i} of record {@code id} (tests). */
    int word(int id, int i) {
        return recs[id * recInts + i];
    }

    // ================================================================ fields

    private int rec(int id) {
        return id * recInts;
    }

    /** IPv4 source of direction {@code dir}'s tuple. */
    public int src4(int id, int dir) {
        return recs[rec(id) + 2 * dir];
    }

    public int dst4(int id, int dir) {
        return recs[rec(id) + 2 * dir + 1];
    }

    public void tuple4(int id, int dir, int src, int dst) {
        recs[rec(id) + 2 * dir] = src;
        recs[rec(id) + 2 * dir + 1] = dst;
    }

    /** IPv6 address word: {@code which} 0 = src hi, 1 = src lo, 2 = dst hi, 3 = dst lo. */
    public long addr6(int id, int dir, int which) {
        return long2(rec(id) + 8 * dir + 2 * which);
    }

    public void tuple6(int id, int dir, long sh, long sl, long dh, long dl) {
        int t = rec(id) + 8 * dir;
        long2(t, sh);
        long2(t + 2, sl);
        long2(t + 4, dh);
        long2(t + 6, dl);
    }

    /** sport << 16 | dport of a direction. */
    public int ports(int id, int dir) {
        return recs[rec(id) + oPorts + dir];
    }

    public void ports(int id, int dir, int sport, int dport) {
        recs[rec(id) + oPorts + dir] = (sport << 16) | (dport & 0xffff);
    }

    public int iif(int id, int dir) {
        return recs[rec(id) + oIif + dir];
    }

    public void iif(int id, int dir, int ifindex) {
        recs[rec(id) + oIif + dir] = ifindex;
    }

    public int oif(int id, int dir) {
        return recs[rec(id) + oOif + dir];
    }

    public void oif(int id, int dir, int ifindex) {
        recs[rec(id) + oOif + dir] = ifindex;
    }

    public long mac(int id, int dir) {
        return long2(rec(id) + oMac + 2 * dir);
    }

    public void mac(int id, int dir, long mac) {
        long2(rec(id) + oMac + 2 * dir, mac);
    }

    public long deadline(int id) {
        return long2(rec(id) + oDeadline);
    }

    public void deadline(int id, long ns) {
        long2(rec(id) + oDeadline, ns);
    }

    public int mtu(int id, int dir) {
        return (recs[rec(id) + oMtu] >>> (16 * dir)) & 0xffff;
    }

    public void mtu(int id, int dir, int mtu) {
        int at = rec(id) + oMtu;
        int shift = 16 * dir;
        recs[at] = (recs[at] & ~(0xffff << shift)) | (Math.min(mtu, 0xffff) << shift);
    }

    public int proto(int id) {
        return recs[rec(id) + oProto] & 0xff;
    }

    public void proto(int id, int proto) {
        int at = rec(id) + oProto;
        recs[at] = (recs[at] & ~0xff) | (proto & 0xff);
    }

    public int flags(int id) {
        return (recs[rec(id) + oProto] >>> 8) & 0xff;
    }

    public void flags(int id, int flags) {
        int at = rec(id) + oProto;
        recs[at] = (recs[at] & ~0xff00) | ((flags & 0xff) << 8);
    }

    public int fibGeneration(int id) {
        return recs[rec(id) + oFibGen];
    }

    public void fibGeneration(int id, int gen) {
        recs[rec(id) + oFibGen] = gen;
    }

    public int nexthop4(int id, int dir) {
        return recs[rec(id) + oNexthop + dir];
    }

    public long nexthop6(int id, int dir, boolean lo) {
        return long2(rec(id) + oNexthop + 4 * dir + (lo ? 2 : 0));
    }

    public void nexthop4(int id, int dir, int addr) {
        recs[rec(id) + oNexthop + dir] = addr;
    }

    public void nexthop6(int id, int dir, long hi, long lo) {
        long2(rec(id) + oNexthop + 4 * dir, hi);
        long2(rec(id) + oNexthop + 4 * dir + 2, lo);
    }
}
